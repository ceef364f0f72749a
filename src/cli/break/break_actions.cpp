// `ptk break` output. Text: "hit N LOCATION at ADDR <symbol+off> thread TID" and indented action
// lines; JSON: one object per hit, one line each.
#include "break/break_actions.h"

#include <fmt/format.h>

#include <array>

#include "ptk/arch/reg_decode.h"
#include "ptk/core/mem_format.h"
#include "ptk/sys/escape.h"

namespace ptk::cli {

Result<MemAction> parse_mem_action(const std::string& text) {
  auto colon = text.rfind(':');
  auto bad = [&](std::string_view why) {
    return Error(ErrorKind::InvalidArgument, fmt::format("--mem {}", text), 0,
                 fmt::format("{}; expected ADDR:LEN or REG:LEN, e.g. rdi:16", why));
  };
  if (colon == std::string::npos || colon == 0) return bad("no length");
  auto len = parse_number(std::string_view(text).substr(colon + 1));
  if (!len || *len == 0 || *len > 4096) return bad("the length must be 1 to 4096");
  return MemAction{.where = text.substr(0, colon), .len = *len};
}

std::string BreakPrinter::regs_text(pid_t tid, const Registers& regs) {
  std::string out;
  std::vector<std::uint64_t> values;
  const std::vector<std::uint64_t>* before = nullptr;
  if (palette_.on()) {
    auto it = last_regs_.find(tid);
    if (it != last_regs_.end()) before = &it->second;
  }
  for (const RegisterValue& r : register_listing(regs)) {
    if (r.group != RegGroup::General && r.group != RegGroup::Pointer &&
        r.group != RegGroup::Flags) {
      continue;
    }
    if (actions_.json) {
      out += fmt::format("{}\"{}\":{}", out.empty() ? "" : ",", r.name, r.value);
      continue;
    }
    std::string value = fmt::format("{:#x}", r.value);
    std::size_t i = values.size();
    bool changed = before != nullptr && i < before->size() && (*before)[i] != r.value;
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", palette_.paint(Style::Register, r.name),
                       changed ? palette_.paint(Style::Changed, value) : value);
    values.push_back(r.value);
  }
  if (palette_.on()) last_regs_[tid] = std::move(values);
  return out;
}

std::vector<std::uint64_t> BreakPrinter::args(const debug::BreakpointHit& hit) const {
  std::vector<std::uint64_t> out;
  const AbiInfo& abi = hit.regs.abi_info();
  for (int i = 0; i < actions_.args; ++i) {
    if (i < abi.call.reg_args) {
      out.push_back(hit.regs.get(abi.call.int_arg_regs[static_cast<std::size_t>(i)]));
      continue;
    }
    // On the stack above the return address, one word each (i386 cdecl: every argument;
    // x86_64: the seventh on), as they are at the function's first instruction.
    std::size_t word = abi.word_size;
    std::uint64_t at = hit.regs.sp() + word * static_cast<std::uint64_t>(i - abi.call.reg_args + 1);
    std::array<std::byte, 8> b{};
    std::uint64_t v = 0;
    if (session_.memory(hit.tid).read_exact(RemoteAddr(at), std::span(b).first(word)).ok()) {
      for (std::size_t k = 0; k < word; ++k) v |= std::to_integer<std::uint64_t>(b[k]) << (8 * k);
    }
    out.push_back(v);
  }
  return out;
}

std::string BreakPrinter::mem_text(const debug::BreakpointHit& hit, const MemAction& m) const {
  std::optional<std::uint64_t> addr = parse_number(m.where);
  if (!addr) addr = hit.regs.by_name(m.where);
  if (!addr) return fmt::format("unknown register or address '{}'", m.where);
  std::vector<std::byte> buf(m.len);
  auto n = session_.memory(hit.tid).read(RemoteAddr(*addr), buf);
  if (!n.ok()) return fmt::format("{:#x}: unreadable", *addr);
  std::string hex;
  for (std::size_t i = 0; i < *n; ++i) {
    hex += fmt::format("{}{:02x}", i == 0 ? "" : " ", std::to_integer<unsigned>(buf[i]));
  }
  if (actions_.json) {
    return fmt::format("{{\"what\":{},\"address\":{},\"hex\":\"{}\"}}", sys::json_string(m.where),
                       *addr, hex);
  }
  return fmt::format("{}: {}", palette_.paint(Style::Address, fmt::format("{:#x}", *addr)), hex);
}

void BreakPrinter::hit(const std::string& location, const debug::BreakpointHit& hit,
                       std::uint64_t count, const debug::SymbolTable* symbols) {
  std::string where = symbols != nullptr ? symbols->describe(hit.address).to_string()
                                         : fmt::format("{:#x}", hit.address);
  std::vector<debug::Frame> frames;
  if (actions_.bt) {
    auto bt = unwinder_.backtrace(hit.tid, hit.regs);
    if (bt.ok()) frames = std::move(*bt);
  }
  if (actions_.json) {
    std::string line = fmt::format(
        "{{\"event\":\"hit\",\"location\":{},\"address\":{},\"symbol\":{},\"pid\":{},\"tid\":{},"
        "\"hit\":{}",
        sys::json_string(location), hit.address, sys::json_string(where), hit.pid, hit.tid, count);
    if (actions_.regs) line += fmt::format(",\"regs\":{{{}}}", regs_text(hit.tid, hit.regs));
    if (actions_.args > 0) line += fmt::format(",\"args\":[{}]", fmt::join(args(hit), ","));
    if (actions_.bt) {
      line += ",\"backtrace\":[";
      for (std::size_t i = 0; i < frames.size(); ++i) {
        line += fmt::format("{}{{\"pc\":{},\"symbol\":{},\"module\":{}}}", i == 0 ? "" : ",",
                            frames[i].pc, sys::json_string(frames[i].demangled_symbol()),
                            sys::json_string(frames[i].module));
      }
      line += "]";
    }
    if (!actions_.mem.empty()) {
      line += ",\"memory\":[";
      for (std::size_t i = 0; i < actions_.mem.size(); ++i) {
        line += (i == 0 ? "" : ",") + mem_text(hit, actions_.mem[i]);
      }
      line += "]";
    }
    fmt::print(out_, "{}}}\n", line);
    return;
  }
  fmt::print(out_, "{} at {} <{}> thread {}\n",
             palette_.paint(Style::Changed, fmt::format("hit {} {}", count, location)),
             palette_.paint(Style::Address, fmt::format("{:#x}", hit.address)),
             palette_.paint(Style::Symbol, sys::printable(where)), hit.tid);
  if (actions_.regs) fmt::print(out_, "  regs: {}\n", regs_text(hit.tid, hit.regs));
  if (actions_.args > 0) {
    fmt::print(out_, "  args: {:#x}\n", fmt::join(args(hit), " "));
  }
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const debug::Frame& f = frames[i];
    std::string sym =
        f.symbol.empty()
            ? "??"
            : fmt::format("{}+{:#x}", sys::printable(f.demangled_symbol()), f.symbol_offset);
    fmt::print(
        out_, "  #{} {} {} ({})\n", i, palette_.paint(Style::Address, fmt::format("{:#x}", f.pc)),
        palette_.paint(Style::Symbol, sym), f.module.empty() ? "?" : sys::printable(f.module));
  }
  for (const MemAction& m : actions_.mem) fmt::print(out_, "  mem {}\n", mem_text(hit, m));
}

void BreakPrinter::count(const std::string& location, std::uint64_t hits) {
  if (actions_.json) {
    fmt::print(out_, "{{\"event\":\"count\",\"location\":{},\"hits\":{}}}\n",
               sys::json_string(location), hits);
  } else {
    fmt::print(out_, "{} {}\n", location, hits);
  }
}

void BreakPrinter::watch(const std::string& label, pid_t tid, std::uint64_t ip,
                         const std::optional<std::uint64_t>& old_value,
                         const std::optional<std::uint64_t>& new_value) {
  if (actions_.json) {
    fmt::print(out_, "{{\"event\":\"watch\",\"watch\":{},\"tid\":{},\"ip\":{}{}{}}}\n",
               sys::json_string(label), tid, ip,
               old_value ? fmt::format(",\"old\":{}", *old_value) : "",
               new_value ? fmt::format(",\"new\":{}", *new_value) : "");
    return;
  }
  fmt::print(out_, "{} thread {} ip {}{}{}\n",
             palette_.paint(Style::Changed, fmt::format("watch {}", label)), tid,
             palette_.paint(Style::Address, fmt::format("{:#x}", ip)),
             old_value ? fmt::format(" old {:#x}", *old_value) : "",
             new_value ? fmt::format(" new {:#x}", *new_value) : "");
}

}  // namespace ptk::cli
