// `ptk trace -e read=SET / -e write=SET`: the data a syscall read from or wrote to one of the
// descriptors in SET, in full (not cut by -s), as strace dumps it after the syscall's line:
//    | 00000  68 65 6c 6c 6f 0a                                hello.           |
// Vectored calls (readv, writev, preadv...) dump each buffer after " * N bytes in buffer I";
// sendmsg/recvmsg their msg_iov; sendmmsg/recvmmsg each message after " = N buffers in
// vector I". Writes dump what the call was given, even when it failed (strace's dumpio()).
#pragma once

#include <sys/types.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/sys/tracer.h"

namespace ptk::sys {

// A set of descriptors as strace's -e read=/write= take it: "all", "3,5", "!1", "none".
class FdSet {
 public:
  static Result<FdSet> parse(std::string_view expr);
  bool contains(std::int64_t fd) const;
  bool empty() const { return !negated_ && !all_ && fds_.empty(); }

 private:
  std::vector<int> fds_;  // sorted; any non-negative int, as strace's string_to_uint takes
  bool all_ = false;
  bool negated_ = false;
};

struct IoCall;  // which argument holds a call's data, and how (io_dumps.cpp)

class IoDumps final : public SyscallHook {
 public:
  IoDumps(FdSet reads, FdSet writes) : reads_(std::move(reads)), writes_(std::move(writes)) {}

  void on_entry(Session&, DecodedSyscall&) override {}
  void on_exit(Session& session, DecodedSyscall& sc) override;

  // Moves the thread's dump lines into `out`, joined by '\n' (empty when there are none).
  void take_lines(pid_t tid, std::string& out);

 private:
  // strace's bound on an iovec array it dumps (UIO_MAXIOV).
  static constexpr std::uint64_t kMaxIovecs = 1024;

  void dump(Session& session, const DecodedSyscall& sc, std::uint64_t addr, std::uint64_t len,
            std::string& out);
  void dump_vector(Session& session, const DecodedSyscall& sc, std::uint64_t iov,
                   std::uint64_t count, std::uint64_t total, std::string& out);
  void dump_msghdr(Session& session, const DecodedSyscall& sc, std::uint64_t msg,
                   std::uint64_t total, std::string& out);
  void dump_mmsghdr(Session& session, const DecodedSyscall& sc, std::uint64_t vec,
                    std::string& out);
  void dump_call(Session& session, const DecodedSyscall& sc, const IoCall& call,
                 std::uint64_t total, std::string& out);
  static bool read_word(Session& session, const DecodedSyscall& sc, std::uint64_t addr,
                        std::size_t size, std::uint64_t& value);

  FdSet reads_;
  FdSet writes_;
  std::unordered_map<pid_t, std::string> lines_;
};

// strace's hex dump of `data`, lines joined by '\n' (no final newline). `data` is the part from
// offset `first` of a dump of `total` bytes (0: data is all of it), which sets the offsets'
// width.
void append_hex_dump(std::string_view data, std::string& out, std::size_t first = 0,
                     std::size_t total = 0);

}  // namespace ptk::sys
