#include "step/step_cmd_printer.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "ptk/sys/escape.h"

namespace ptk::cli {

void StepPrinter::print(pid_t tid, const Registers& regs) {
  constexpr std::size_t kMaxLocationWidth = 72;  // one very long C++ name must not push all
  constexpr std::size_t kBytesWidth = 20;        // 7 bytes; longer instructions push the text
  std::uint64_t ip = regs.ip();
  // Symbol and module names come from the process's files: escaped.
  std::string where = sys::printable(symbols_.describe(ip).to_string());
  std::string location = fmt::format("{:#x} <{}>", ip, where.empty() ? "??" : where);
  location_width_ = std::min(kMaxLocationWidth, std::max(location_width_, location.size()));
  std::string bytes = "??", text = "(unreadable)";
  auto insn = disasm_.decode_at(session_.memory(tid), regs.arch(), ip);
  if (insn.ok()) {
    bytes = insn->hex_bytes();
    text = insn->text();
  } else if (insn.error().kind() == ErrorKind::InvalidArgument) {
    text = "(bad)";
  }
  std::string line =
      fmt::format("{:<{}}  {:<{}}  {}", location, location_width_, bytes, kBytesWidth, text);
  if (lines_) {
    if (auto src = symbols_.line_at(ip))
      line += fmt::format("  ; {}:{}", sys::printable(src->file), src->line);
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), out_);
  // The program's own output of a syscall about to run then comes after this line, not before
  // a buffer of earlier ones.
  if (insn.ok() &&
      (insn->mnemonic == "syscall" || insn->mnemonic == "sysenter" || insn->mnemonic == "int")) {
    std::fflush(out_);
  }
}

void StepProfile::add(std::uint64_t ip) {
  ++total_;
  if (ip >= range_start_ && ip < range_end_) {
    ++*range_count_;
    return;
  }
  debug::AddressInfo info = symbols_.describe(ip);
  std::string key = "??";
  if (info.symbol != nullptr) {
    key = fmt::format("{} ({})", sys::printable(info.symbol->display_name()),
                      sys::printable(info.module->name));
  } else if (info.module != nullptr) {
    key = fmt::format("?? ({})", sys::printable(info.module->name));
  }
  std::uint64_t& count = counts_[key];  // references to map elements survive rehashing
  ++count;
  range_start_ = 1;
  range_end_ = 0;
  if (info.symbol != nullptr && info.symbol->size != 0) {
    range_start_ = info.symbol->address;
    range_end_ = info.symbol->address + info.symbol->size;
    range_count_ = &count;
  }
}

std::string StepProfile::table() const {
  std::vector<std::pair<std::string, std::uint64_t>> rows(counts_.begin(), counts_.end());
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::string out = fmt::format("{:>12}  {:>6}  {}\n", "instructions", "%", "function");
  for (const auto& [name, count] : rows) {
    double share =
        total_ != 0 ? 100.0 * static_cast<double>(count) / static_cast<double>(total_) : 0;
    out += fmt::format("{:>12}  {:>5.1f}%  {}\n", count, share, name);
  }
  return out;
}

}  // namespace ptk::cli
