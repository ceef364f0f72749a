// `ptk trace -e read=SET / -e write=SET`: the data a syscall read from or wrote to one of the
// descriptors in SET, in full (not cut by -s), as strace dumps it after the syscall's line:
//    | 00000  68 65 6c 6c 6f 0a                                hello.           |
// Vectored calls (readv, writev, preadv...) dump each buffer after " * N bytes in buffer I".
#pragma once

#include <sys/types.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/sys/tracer.h"

namespace ptk::cli {

// A set of descriptors as strace's -e read=/write= take it: "all", "3,5", "!1", "none".
class FdSet {
 public:
  static Result<FdSet> parse(std::string_view expr);
  bool contains(std::int64_t fd) const;
  bool empty() const {
    return !negated_ && !high_ && std::find(fds_.begin(), fds_.end(), true) == fds_.end();
  }

 private:
  // Descriptors are C ints; the set grows to the largest number named.
  static constexpr unsigned kMax = 0x7fffffff;
  std::vector<bool> fds_;
  bool high_ = false;  // "all": the numbers past those named too
  bool negated_ = false;
};

class IoDumps final : public sys::SyscallHook {
 public:
  IoDumps(FdSet reads, FdSet writes) : reads_(std::move(reads)), writes_(std::move(writes)) {}

  void on_entry(Session&, sys::DecodedSyscall&) override {}
  void on_exit(Session& session, sys::DecodedSyscall& sc) override;

  // Moves the thread's dump lines into `out`, joined by '\n' (empty when there are none).
  void take_lines(pid_t tid, std::string& out);

 private:
  void dump(Session& session, const sys::DecodedSyscall& sc, std::uint64_t addr, std::uint64_t len,
            std::string& out);
  void dump_vector(Session& session, const sys::DecodedSyscall& sc, std::uint64_t iov,
                   std::uint64_t count, std::uint64_t total, std::string& out);

  FdSet reads_;
  FdSet writes_;
  std::unordered_map<pid_t, std::string> lines_;
};

// strace's hex dump of `data`, offsets from 0, lines joined by '\n' (no final newline).
void append_hex_dump(std::string_view data, std::string& out);
// The same for `data` found at `offset` of a dump `total` bytes long (its offsets' width).
void append_hex_dump(std::string_view data, std::string& out, std::uint64_t offset,
                     std::uint64_t total);

}  // namespace ptk::cli
