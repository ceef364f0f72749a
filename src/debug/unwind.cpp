// Backtraces through libdwfl, with ptk_core as libdwfl's only window into the tracee.
//
// libdwfl can attach to a process itself (dwfl_linux_proc_attach), but it would do so with its
// own ptrace(2) calls, and only ptk_core may make those: a second PTRACE_ATTACH would fail, and
// its PTRACE_INTERRUPT/DETACH would fight the session's stop bookkeeping. So the Dwfl gets its
// thread state through dwfl_attach_state with our own Dwfl_Thread_Callbacks: registers from
// Session::get_regs and stack words from Memory::read. What libdwfl still does by itself needs
// no ptrace: it reads /proc/PID/maps and /proc/PID/auxv to report the modules, opens their ELF
// files, and reads the vDSO image through /proc/PID/mem.
#include "ptk/debug/unwind.h"

#include <cxxabi.h>
#include <elfutils/libdwfl.h>
#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "ptk/core/proc.h"

namespace ptk::debug {

namespace {

// What an address resolves to, kept per process: dwfl_module_addrinfo searches a module's
// whole symbol table on each call (libc's, from libc6-dbg, has tens of thousands of entries),
// and the same return addresses come back at every syscall.
struct Symbolized {
  std::string module;  // empty: no module holds the address
  std::uint64_t bias = 0;
  std::string symbol;  // empty: no symbol
  std::uint64_t symbol_address = 0;
};
constexpr std::size_t kMaxCachedSymbols = 1 << 16;

}  // namespace

// One process's Dwfl and what its callbacks need. Its address is the callbacks' argument, so
// it lives behind a unique_ptr and never moves.
struct Unwinder::ProcessCache {
  ProcessCache() = default;
  ProcessCache(const ProcessCache&) = delete;
  ProcessCache& operator=(const ProcessCache&) = delete;
  ~ProcessCache() {
    if (dwfl != nullptr) dwfl_end(dwfl);
  }

  Session* session = nullptr;
  pid_t pid = 0;
  Arch arch = Arch::X86_64;  // the ABI the Dwfl was built for (its ELF class)
  Dwfl* dwfl = nullptr;
  std::string maps;     // /proc/PID/maps as last reported: a change means modules to re-report
  std::string modules;  // each module's name and range, as last reported
  std::unordered_map<std::uint64_t, Symbolized> symbols;  // by lookup address; per `modules`

  // The unwind in progress (set only during dwfl_getthread_frames).
  pid_t tid = 0;
  const Registers* regs = nullptr;
};

namespace {

using Cache = Unwinder::ProcessCache;

// Where to look for separate debug files: nullptr means libdwfl's default
// (.debug next to the file, /usr/lib/debug, build-id links). libdwfl keeps the pointer.
char* g_debuginfo_path = nullptr;

// The standard callbacks read ELF files by the paths /proc/PID/maps names, and look for
// debuginfo the standard way. When DEBUGINFOD_URLS is set that includes asking a debuginfod
// server, which can take seconds for each new module the first time: unset it to avoid that.
const Dwfl_Callbacks kDwflCallbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = nullptr,
    .debuginfo_path = &g_debuginfo_path,
};

// The registers of each ABI in DWARF numbering (the psABIs' register mapping tables), by the
// names ptk_arch gives them. On x86 the last one is the return-address column, which holds the
// pc; aarch64's DWARF numbers x0-x30 and sp as 0-31 and gives the pc no column (its return
// address is x30), so libdwfl takes the pc only from dwfl_thread_state_register_pc.
constexpr std::array<std::string_view, 17> kDwarfRegsX86_64 = {
    "rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp", "r8",
    "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rip"};
constexpr std::array<std::string_view, 9> kDwarfRegsI386 = {"eax", "ecx", "edx", "ebx", "esp",
                                                            "ebp", "esi", "edi", "eip"};
constexpr std::array<std::string_view, 32> kDwarfRegsAarch64 = {
    "x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",  "x8",  "x9",  "x10",
    "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",
    "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30", "sp"};
constexpr std::size_t kMaxDwarfRegs = kDwarfRegsAarch64.size();

std::span<const std::string_view> dwarf_regs(Arch arch) {
  if (arch == Arch::I386) return kDwarfRegsI386;
  if (arch == Arch::Aarch64) return kDwarfRegsAarch64;
  return kDwarfRegsX86_64;
}

std::string dwfl_message() {
  const char* m = dwfl_errmsg(-1);
  return m != nullptr ? m : "unknown libdwfl error";
}

// Only the thread being unwound is reported. libdwfl asks for threads in order to find the
// one dwfl_getthread_frames names; the others are not necessarily stopped, so they must not
// be offered for unwinding.
pid_t next_thread(Dwfl* /*dwfl*/, void* dwfl_arg, void** thread_argp) {
  auto* cache = static_cast<Cache*>(dwfl_arg);
  if (*thread_argp != nullptr) return 0;  // already reported: no more threads
  *thread_argp = cache;
  return cache->tid;
}

// The direct lookup (libdwfl would otherwise emulate it through next_thread).
bool get_thread(Dwfl* /*dwfl*/, pid_t tid, void* dwfl_arg, void** thread_argp) {
  auto* cache = static_cast<Cache*>(dwfl_arg);
  if (tid != cache->tid) return false;
  *thread_argp = cache;
  return true;
}

// One word of the tracee's ABI. libdwfl asks for a Dwarf_Word (64 bits) whatever the ELF
// class; for a 32-bit tracee only 4 bytes may be read (the next 4 may be unmapped), and they
// land zero-extended in the low half (x86 and aarch64 Linux are little-endian).
bool memory_read(Dwfl* /*dwfl*/, Dwarf_Addr addr, Dwarf_Word* result, void* dwfl_arg) {
  auto* cache = static_cast<Cache*>(dwfl_arg);
  std::uint64_t word = 0;
  auto bytes = std::as_writable_bytes(std::span(&word, 1)).first(abi(cache->arch).word_size);
  if (!cache->session->memory(cache->tid).read_exact(RemoteAddr(addr), bytes).ok()) return false;
  *result = word;
  return true;
}

bool set_initial_registers(Dwfl_Thread* thread, void* thread_arg) {
  auto* cache = static_cast<Cache*>(thread_arg);
  std::span<const std::string_view> names = dwarf_regs(cache->arch);
  std::array<Dwarf_Word, kMaxDwarfRegs> values{};
  for (std::size_t i = 0; i < names.size(); ++i) {
    values[i] = cache->regs->by_name(names[i]).value_or(0);
  }
  // On x86 the pc is in the block as the return-address column (16 on x86_64, 8 on i386), from
  // which libdwfl would derive the first frame's pc (adding the backend's ra_offset, 0 on x86).
  // Setting it explicitly as well does not depend on that derivation, and aarch64 needs it.
  if (!dwfl_thread_state_registers(thread, 0, static_cast<unsigned>(names.size()), values.data())) {
    return false;
  }
  dwfl_thread_state_register_pc(thread, cache->regs->ip());
  return true;
}

const Dwfl_Thread_Callbacks kThreadCallbacks = {
    .next_thread = next_thread,
    .get_thread = get_thread,
    .memory_read = memory_read,
    .set_initial_registers = set_initial_registers,
    .detach = nullptr,         // nothing to let go of: ptk_core owns the attachment
    .thread_detach = nullptr,  // likewise: the thread stays in its ptrace-stop
};

// (Re)reports the modules of the process from /proc/PID/maps. On a Dwfl that has modules
// already, a module reported again with the same name and address range keeps its opened ELF
// and unwind tables, so only new mappings cost anything.
Status report_modules(Cache& cache) {
  dwfl_report_begin(cache.dwfl);
  int rc = dwfl_linux_proc_report(cache.dwfl, cache.pid);
  // dwfl_report_end must follow dwfl_report_begin even on failure, or the Dwfl stays in the
  // middle of a report with its address lookup table invalid.
  if (dwfl_report_end(cache.dwfl, nullptr, nullptr) != 0 && rc == 0) rc = -1;
  if (rc == 0) return ok_status();
  // dwfl_linux_proc_report returns an errno value for I/O failures, -1 for its own errors.
  std::string call = fmt::format("dwfl_linux_proc_report(pid={})", cache.pid);
  if (rc > 0) return Error::from_errno(rc, call);
  return Error(ErrorKind::Io, call + ": " + dwfl_message());
}

// The reported modules as text: the symbol cache holds while this stays the same (a change
// of anonymous mappings, as malloc makes, leaves it alone).
std::string module_list(Dwfl* dwfl) {
  std::string out;
  auto add = [](Dwfl_Module* mod, void**, const char* name, Dwarf_Addr start, void* arg) {
    Dwarf_Addr end = 0;
    dwfl_module_info(mod, nullptr, nullptr, &end, nullptr, nullptr, nullptr, nullptr);
    fmt::format_to(std::back_inserter(*static_cast<std::string*>(arg)), "{:x}-{:x} {}\n", start,
                   end, name != nullptr ? name : "");
    return static_cast<int>(DWARF_CB_OK);
  };
  dwfl_getmodules(dwfl, add, &out, 0);
  return out;
}

struct Walk {
  Cache* cache;
  const BacktraceOptions* options;
  std::vector<Frame>* frames;
};

// The module and symbol of one address, looked up in libdwfl.
Symbolized look_up(Dwfl* dwfl, std::uint64_t at) {
  Symbolized out;
  Dwfl_Module* mod = dwfl_addrmodule(dwfl, at);
  if (mod == nullptr) return out;
  Dwarf_Addr start = 0;
  const char* name =
      dwfl_module_info(mod, nullptr, &start, nullptr, nullptr, nullptr, nullptr, nullptr);
  out.module = name != nullptr ? name : "";
  // The load bias (run-time address - ELF address) needs the ELF; a module whose file cannot
  // be found (deleted, another mount namespace) still has its start, which is the bias of
  // almost every shared object (their first PT_LOAD is at address 0).
  Dwarf_Addr bias = start;
  if (dwfl_module_getelf(mod, &bias) == nullptr) bias = start;
  out.bias = bias;

  GElf_Off offset = 0;
  GElf_Sym sym{};
  // addrinfo rather than addrsym: it matches the address against function entry points (not
  // descriptors), and gives the offset from the symbol's adjusted (run-time) value.
  const char* symbol = dwfl_module_addrinfo(mod, at, &offset, &sym, nullptr, nullptr, nullptr);
  if (symbol != nullptr) {
    // A .symtab (of a debug file such as libc6-dbg's) names versioned definitions as the
    // assembler's .symver wrote them ("__libc_start_main@@GLIBC_2.34"); the version is not
    // part of the name (.dynsym keeps it apart), and C and C++ names never contain '@'.
    std::string_view sv(symbol);
    out.symbol = sv.substr(0, sv.find('@'));
    out.symbol_address = at - offset;
  }
  return out;
}

// The file and line of a run-time address in `mod`, from its DWARF line table.
std::optional<std::pair<std::string, int>> source_line(Dwfl_Module* mod, std::uint64_t at) {
  // getsrc finds the CU through .debug_aranges (and keeps the CU's line table for next time).
  if (Dwfl_Line* line = dwfl_module_getsrc(mod, at)) {
    int lineno = 0;
    const char* file = dwfl_lineinfo(line, nullptr, &lineno, nullptr, nullptr, nullptr);
    if (file != nullptr) return std::pair(std::string(file), lineno);
  }
  // libdw before 0.192 knows no other way to the CU, and clang emits no .debug_aranges (gcc
  // does): ask each CU whether its ranges hold the address. A CU's addresses are the ELF's, so
  // the address goes back by the module's bias first.
  Dwarf_Addr bias = 0;
  for (Dwarf_Die* cu = dwfl_module_nextcu(mod, nullptr, &bias); cu != nullptr;
       cu = dwfl_module_nextcu(mod, cu, &bias)) {
    if (dwarf_haspc(cu, at - bias) != 1) continue;
    Dwarf_Line* line = dwarf_getsrc_die(cu, at - bias);
    int lineno = 0;
    const char* file = line != nullptr ? dwarf_linesrc(line, nullptr, nullptr) : nullptr;
    if (file == nullptr || dwarf_lineno(line, &lineno) != 0) return std::nullopt;
    return std::pair(std::string(file), lineno);
  }
  return std::nullopt;
}

void symbolize_frame(Cache& cache, Frame& f, bool source_lines) {
  std::uint64_t at = f.lookup_pc();
  auto it = cache.symbols.find(at);
  if (it == cache.symbols.end()) {
    // Bounded: the distinct return addresses of a program are few, but a JIT's are not.
    if (cache.symbols.size() >= kMaxCachedSymbols) cache.symbols.clear();
    it = cache.symbols.emplace(at, look_up(cache.dwfl, at)).first;
  }
  const Symbolized& sym = it->second;
  if (sym.module.empty()) return;
  f.module = sym.module;
  f.module_offset = f.pc - sym.bias;
  if (!sym.symbol.empty()) {
    f.symbol = sym.symbol;
    f.symbol_offset = f.pc - sym.symbol_address;
  }
  if (!source_lines) return;
  Dwfl_Module* mod = dwfl_addrmodule(cache.dwfl, at);
  if (mod == nullptr) return;
  if (auto line = source_line(mod, at)) {
    f.source_file = std::move(line->first);
    f.source_line = line->second;
  }
}

int on_frame(Dwfl_Frame* state, void* arg) {
  auto* walk = static_cast<Walk*>(arg);
  Dwarf_Addr pc = 0;
  bool activation = false;
  // Fails when the previous frame's CFI could not recover the pc: the end of what is known.
  if (!dwfl_frame_pc(state, &pc, &activation)) return DWARF_CB_ABORT;
  Frame f;
  f.pc = pc;
  f.activation = activation;
  symbolize_frame(*walk->cache, f, walk->options->source_lines);
  walk->frames->push_back(std::move(f));
  return walk->frames->size() >= walk->options->max_frames ? DWARF_CB_ABORT : DWARF_CB_OK;
}

}  // namespace

std::string Frame::demangled_symbol() const {
  if (!symbol.starts_with("_Z")) return symbol;
  int status = 0;
  char* out = abi::__cxa_demangle(symbol.c_str(), nullptr, nullptr, &status);
  if (status != 0 || out == nullptr) return symbol;
  std::string result(out);
  std::free(out);
  return result;
}

Unwinder::Unwinder(Session& session) : session_(session) {}
Unwinder::~Unwinder() = default;

void Unwinder::forget(pid_t pid) { caches_.erase(pid); }
void Unwinder::forget_all() { caches_.clear(); }

Result<Unwinder::ProcessCache*> Unwinder::cache_for(pid_t pid, Arch arch) {
  auto maps = read_proc_file(pid, "maps");
  if (!maps.ok()) return std::move(maps).error();

  auto it = caches_.find(pid);
  // The ABI is fixed when the Dwfl attaches (libdwfl picks its backend from the first module's
  // ELF class, once): a process that exec'd into the other ABI without a forget() needs a new
  // Dwfl, not just new modules.
  if (it != caches_.end() && it->second->arch != arch) {
    caches_.erase(it);
    it = caches_.end();
  }
  if (it != caches_.end()) {
    Cache& cache = *it->second;
    if (cache.maps != *maps) {
      if (Status s = report_modules(cache); !s.ok()) {
        caches_.erase(it);
        return s.error();
      }
      cache.maps = std::move(*maps);
      std::string modules = module_list(cache.dwfl);
      if (modules != cache.modules) {
        cache.symbols.clear();  // an address may now be in another module, or in none
        cache.modules = std::move(modules);
      }
    }
    return &cache;
  }

  auto cache = std::make_unique<Cache>();
  cache->session = &session_;
  cache->pid = pid;
  cache->arch = arch;
  cache->dwfl = dwfl_begin(&kDwflCallbacks);
  if (cache->dwfl == nullptr) return Error(ErrorKind::Internal, "dwfl_begin: " + dwfl_message());
  PTK_TRY(report_modules(*cache));
  // The modules must be reported before attaching: with a null Elf, dwfl_attach_state finds
  // the architecture in the first reported module that has an ELF file (it skips the vDSO).
  if (!dwfl_attach_state(cache->dwfl, nullptr, pid, &kThreadCallbacks, cache.get())) {
    return Error(ErrorKind::Unsupported,
                 fmt::format("dwfl_attach_state(pid={}): {}", pid, dwfl_message()));
  }
  cache->maps = std::move(*maps);
  cache->modules = module_list(cache->dwfl);
  Cache* raw = cache.get();
  caches_[pid] = std::move(cache);
  return raw;
}

Result<Frame> Unwinder::symbolize(pid_t pid, std::uint64_t address, bool source_lines) {
  const Thread* thread = session_.thread(pid);
  if (thread == nullptr) {
    return Error(ErrorKind::NoSuchProcess, fmt::format("symbolize(pid={})", pid), ESRCH,
                 "the process is not traced by this session");
  }
  PTK_ASSIGN_OR_RETURN(Cache * cache, cache_for(thread->pid, thread->arch));
  Frame f;
  f.pc = address;
  f.activation = true;  // the address itself, not a return address
  symbolize_frame(*cache, f, source_lines);
  return f;
}

Result<std::vector<Frame>> Unwinder::backtrace(pid_t tid, std::size_t max_frames) {
  return backtrace(tid, BacktraceOptions{.max_frames = max_frames});
}

Result<const Thread*> Unwinder::stopped_thread(pid_t tid) const {
  const Thread* thread = session_.thread(tid);
  if (thread == nullptr) {
    return Error(ErrorKind::NoSuchProcess, fmt::format("backtrace(tid={})", tid), ESRCH,
                 "the thread is not traced by this session");
  }
  if (thread->state != ThreadState::Stopped) {
    return Error(ErrorKind::InvalidArgument, fmt::format("backtrace(tid={})", tid), 0,
                 "the thread must be in a ptrace-stop (its stack changes while it runs)");
  }
  return thread;
}

Result<std::vector<Frame>> Unwinder::backtrace(pid_t tid, const BacktraceOptions& options) {
  PTK_TRY(stopped_thread(tid));
  PTK_ASSIGN_OR_RETURN(Registers regs, session_.get_regs(tid));
  return backtrace(tid, regs, options);
}

Result<std::vector<Frame>> Unwinder::backtrace(pid_t tid, const Registers& regs,
                                               const BacktraceOptions& options) {
  PTK_ASSIGN_OR_RETURN(const Thread* thread, stopped_thread(tid));
  std::vector<Frame> frames;
  if (options.max_frames == 0) return frames;
  PTK_ASSIGN_OR_RETURN(Cache * cache, cache_for(thread->pid, regs.arch()));

  cache->tid = tid;
  cache->regs = &regs;
  Walk walk{cache, &options, &frames};
  int rc = dwfl_getthread_frames(cache->dwfl, tid, on_frame, &walk);
  cache->regs = nullptr;
  // -1 is also how libdwfl ends most stacks (the outermost frame has no CFI to go further, or
  // its return address reads as 0), so it is an error only when no frame came out at all.
  if (rc == -1 && frames.empty()) {
    return Error(ErrorKind::Io,
                 fmt::format("dwfl_getthread_frames(tid={}): {}", tid, dwfl_message()));
  }
  return frames;
}

}  // namespace ptk::debug
