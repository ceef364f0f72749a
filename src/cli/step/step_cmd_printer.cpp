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
  if (where.empty()) where = "??";
  std::string address = fmt::format("{:#x}", ip);
  // The width counts what shows, not the escape codes around it.
  std::size_t shown = address.size() + where.size() + 3;
  location_width_ = std::min(kMaxLocationWidth, std::max(location_width_, shown));
  std::string location = fmt::format("{} <{}>", palette_.paint(Style::Address, address),
                                     palette_.paint(Style::Symbol, where));
  if (shown < location_width_) location.append(location_width_ - shown, ' ');
  std::string bytes = "??", text = "(unreadable)";
  auto insn = disasm_.decode_at(session_.memory(tid), regs.arch(), ip);
  if (insn.ok()) {
    bytes = insn->hex_bytes();
    text = insn->text();
  } else if (insn.error().kind() == ErrorKind::InvalidArgument) {
    text = "(bad)";
  }
  std::string line = fmt::format("{}  {:<{}}  {}", location, bytes, kBytesWidth, text);
  if (lines_) {
    if (auto src = symbols_.line_at(ip)) {
      line += "  ; " + palette_.paint(Style::Location,
                                      fmt::format("{}:{}", sys::printable(src->file), src->line));
    }
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

std::string StepProfile::table(const Palette& palette) const {
  std::vector<std::pair<std::string, std::uint64_t>> rows(counts_.begin(), counts_.end());
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::string out = palette.paint(Style::Header, fmt::format("{:>12}  {:>6}  {}", "instructions",
                                                             "%", "function")) +
                    '\n';
  for (const auto& [name, count] : rows) {
    double share =
        total_ != 0 ? 100.0 * static_cast<double>(count) / static_cast<double>(total_) : 0;
    out += fmt::format("{:>12}  {:>5.1f}%  {}\n", count, share, palette.paint(Style::Symbol, name));
  }
  return out;
}

}  // namespace ptk::cli
