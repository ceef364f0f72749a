#include "calls/calls_summary.h"

namespace ptk::cli {

void CallSummary::unreturned(const std::string& name) {
  if (!name.empty()) table_.add(name, 0);  // "": a depth whose entry was not seen
}

void CallSummary::on_call(const debug::CallEntry& call) {
  if (call.noreturn) {
    table_.add(call.name, 0);
    return;
  }
  // By depth, not as a stack: the tracer drops frames left by longjmp without a report.
  std::vector<std::string>& open = open_[call.tid];
  auto depth = static_cast<std::size_t>(call.depth);
  // A frame left at this depth or deeper never returned: counted without time.
  for (std::size_t i = depth; i < open.size(); ++i) unreturned(open[i]);
  open.resize(depth + 1);
  open[depth] = call.name;
}

void CallSummary::on_return(const debug::CallExit& ret) {
  std::vector<std::string>& open = open_[ret.tid];
  auto depth = static_cast<std::size_t>(ret.depth);
  if (depth >= open.size() || open[depth] != ret.name) {
    table_.add(ret.name, 0);  // its entry was not seen
    return;
  }
  for (std::size_t i = depth + 1; i < open.size(); ++i) unreturned(open[i]);
  table_.add(ret.name, ret.duration_ns);
  open.resize(depth);
}

std::string CallSummary::table() {
  for (auto& [tid, open] : open_) {
    for (const std::string& name : open) unreturned(name);
    open.clear();
  }
  return table_.render("function", false);
}

}  // namespace ptk::cli
