// Decoding: turning a syscall stop into a DecodedSyscall, generically from the syscall table
// or by a per-syscall decoder, with every read of tracee memory bounded.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "ptk/base/remote_ptr.h"
#include "ptk/core/memory.h"
#include "ptk/sys/decoded.h"
#include "ptk/sys/filter.h"
#include "ptk/sys/pidns.h"
#include "ptk/sys/xlat.h"

namespace ptk::sys {

struct DecodeOptions {
  std::size_t string_limit = 32;  // -s: bytes of a string or buffer shown
  bool verbose = false;           // -v: structs and arrays in full
  int xlevel = 0;  // -x (1: non-ASCII as hex), -xx (2: all bytes hex), 3: hex escapes (escape.h)
  bool fd_paths = false;          // -y: print descriptors with their paths
  std::size_t max_array = 1024;   // elements of any array ever read, whatever the tracee says
  std::size_t abbrev_array = 32;  // elements shown without -v (strace's default max_strlen too)
  bool pid_comm = false;          // -Y: pids with the command name of their process, 1234<sh>
  // --decode-pids=pidns: pids of a tracee in another pid namespace get their pid in ours,
  // 2 /* 1234 in strace's PID NS */ (nullptr: off).
  PidTranslator* pidns = nullptr;
  bool dereference = true;  // false: structures print as their address (-e verbose=)
  // -e verbose=SET: the syscalls whose structures are dereferenced (nullptr: all of them).
  const SyscallFilter* verbose_set = nullptr;
  const SyscallFilter* raw_set = nullptr;  // -e raw=: these syscalls' arguments in hex
  // -e abbrev=SET: only these syscalls are abbreviated, the others print as with -v.
  const SyscallFilter* abbrev_set = nullptr;
  // -X, for the few values whose spelling nests names in an expression the renderer cannot
  // rebuild (ioprio's IOPRIO_PRIO_VALUE(0 /* IOPRIO_CLASS_NONE */, 8191) under -X verbose).
  ConstNames const_names = ConstNames::Abbrev;
  bool kvm_vcpu = false;  // -e kvm=vcpu: KVM_RUN's exit reason after its return value
};

// Resolves an fd of a process to its path for -y (reads /proc/PID/fd/N); may return empty.
using FdPathFn = std::function<std::string(pid_t pid, int fd)>;

// The command name of a process (/proc/PID/comm), empty when there is none (-Y).
std::string process_comm(std::int64_t pid);

// What a decoder sees: the stop, the tracee's memory, the options, and where to write.
class DecodeCtx {
 public:
  DecodeCtx(DecodedSyscall& sc, Memory& mem, const DecodeOptions& opts, bool exiting,
            const FdPathFn* fd_path = nullptr)
      : sc_(sc), mem_(mem), opts_(opts), exiting_(exiting), fd_path_(fd_path) {}

  bool entering() const { return !exiting_; }
  bool exiting() const { return exiting_; }
  Arch arch() const { return sc_.arch; }
  int word_size() const { return abi(sc_.arch).word_size; }
  const DecodeOptions& options() const { return opts_; }
  // Where the pids of this syscall are translated (--decode-pids=pidns).
  PidNsView pidns() const { return {opts_.pidns, sc_.tid}; }
  DecodedSyscall& syscall() { return sc_; }
  const DecodedSyscall& syscall() const { return sc_; }
  TokenList& out() { return sc_.args; }
  Memory& memory() { return mem_; }
  std::int64_t ret() const { return sc_.ret; }
  bool failed() const { return sc_.is_error; }

  // Argument i as the ABI's word: zero-extended, or sign-extended from 32 bits on i386.
  std::uint64_t u(int i) const;
  std::int64_t s(int i) const;
  // A 64-bit value an i386 syscall passes in two registers (lo first); plain on x86_64.
  std::uint64_t u64_pair(int lo_index) const;
  // Argument i as the syscall table types it: a split 64-bit value joined, a Flags or Enum
  // argument cut to the C int it is unless marked @long.
  std::uint64_t value(int i) const;

  // Starts top-level argument i with the table's name (or `name` for custom layouts).
  void arg(int i);
  void arg_named(std::string_view name);
  // Emits argument i as its ArgType says (the generic path).
  void generic(int i);

  // Building blocks, all bounded and safe on bad pointers (an unreadable one prints as the
  // address, as strace does).
  void fd(std::int64_t fd);
  void dirfd(std::int64_t fd);
  void path(std::uint64_t addr);
  void string(std::uint64_t addr);                     // NUL-terminated, cut at -s
  void buffer(std::uint64_t addr, std::uint64_t len);  // len bytes, cut at -s
  void flags(std::string_view table, std::uint64_t value);
  void symbol(std::string_view table, std::uint64_t value, std::string_view fallback_fmt = "hex");
  void pointer(std::uint64_t addr) { out().ptr(addr); }
  void signal(std::int64_t sig);
  // A pid of the tracee's namespace: with -Y its command name, with pidns its pid in ours.
  void pid(std::int64_t pid, PidKind kind);
  // kill's and wait4's pid: a process (> 0), a process group (< -1, negated) or a special.
  void pid_or_pgid(std::int64_t pid);
  void sigset(std::uint64_t addr, std::uint64_t size);
  void str_array(std::uint64_t addr, bool env);  // argv, or envp as "0x... /* N vars */"
  // Struct decoding by table name (see the struct registry); prints the address when the
  // struct cannot be read or when the syscall failed and the struct is an output.
  void structure(std::string_view type, std::uint64_t addr, bool output);
  // Reads a struct of the tracee; false when unreadable (the caller prints the pointer).
  bool read(std::uint64_t addr, void* out, std::size_t len) const;
  template <typename T>
  bool read(std::uint64_t addr, T& out) const {
    return read(addr, &out, sizeof out);
  }
  std::string fd_path(int fd) const;
  // The same for a descriptor of another process (pidfd_getfd's target; -y only).
  std::string fd_path_of(pid_t pid, int fd) const;

 private:
  DecodedSyscall& sc_;
  Memory& mem_;
  const DecodeOptions& opts_;
  bool exiting_;
  const FdPathFn* fd_path_;
};

// A decoder for one syscall: called at entry (emit the arguments known then) and at exit
// (emit the rest and anything after the return value into syscall().ret_aux).
using DecoderFn = void (*)(DecodeCtx&);
// A printer for one struct type at an address (already known non-NULL).
using StructFn = void (*)(DecodeCtx&, std::uint64_t addr);

struct DecoderEntry {
  std::string_view syscall;  // a name of the syscall table
  DecoderFn fn;
};
struct StructEntry {
  std::string_view type;  // the StructIn/StructOut param of the syscall table
  StructFn fn;
};

// Decodes a syscall entry (resets `out` first) or exit into `out`.
void decode_entry(DecodedSyscall& out, Memory& mem, const DecodeOptions& opts,
                  const FdPathFn* fd_path = nullptr);
void decode_exit(DecodedSyscall& out, Memory& mem, const DecodeOptions& opts,
                 const FdPathFn* fd_path = nullptr);

DecoderFn find_decoder(std::string_view syscall);
StructFn find_struct(std::string_view type);
// Names registered by more than one family (decoders, then structs); empty when consistent.
std::vector<std::string_view> duplicate_registrations();

}  // namespace ptk::sys
