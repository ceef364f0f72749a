// RecordReader: checks the header and then each record's framing, so that whatever the file
// holds, the caller gets either a record whose size and type are sound or one line saying
// what is wrong where.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ptk/base/unique_fd.h"
#include "ptk/sys/raw_event.h"
#include "ptk/sys/record.h"

namespace ptk::sys {
namespace {

// The smallest record of each type (its fixed part); 0 for an unknown type.
std::size_t min_size(std::uint16_t type) {
  switch (type) {
    case PTK_EV_SYSCALL_ENTRY:
    case PTK_EV_SYSCALL_EXIT:
      return sizeof(ptk_ev_syscall);
    case PTK_EV_SIGNAL:
      return sizeof(ptk_ev_signal);
    case PTK_EV_EXIT:
      return sizeof(ptk_ev_exit);
    case PTK_EV_EXEC:
      return sizeof(ptk_ev_exec);
    case PTK_EV_FORK:
      return sizeof(ptk_ev_fork);
    case PTK_EV_LOST:
      return sizeof(ptk_ev_lost);
    default:
      return 0;
  }
}

}  // namespace

Result<RecordReader> RecordReader::open(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno(errno, "cannot open record file " + path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Error::from_errno(errno, "cannot read " + path);
  if (!S_ISREG(st.st_mode)) {
    return Error(ErrorKind::InvalidArgument, path + ": not a record file (not a regular file)");
  }
  RecordReader r;
  r.name_ = path;
  r.owned_.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < r.owned_.size()) {
    ssize_t n = ::read(fd.get(), r.owned_.data() + got, r.owned_.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno(errno, "cannot read " + path);
    if (n == 0) break;  // shrank meanwhile: the framing checks report what is missing
    got += static_cast<std::size_t>(n);
  }
  r.owned_.resize(got);
  r.data_ = r.owned_;
  PTK_TRY(r.parse_header());
  return r;
}

Result<RecordReader> RecordReader::from_bytes(std::span<const std::byte> bytes, std::string name) {
  RecordReader r;
  r.name_ = std::move(name);
  r.data_ = bytes;
  PTK_TRY(r.parse_header());
  return r;
}

Error RecordReader::bad(std::uint64_t at, const std::string& what) const {
  return Error(ErrorKind::InvalidArgument,
               name_ + ": corrupt record file at byte " + std::to_string(at) + ": " + what);
}

Status RecordReader::parse_header() {
  auto fail = [&](const std::string& what) {
    return Error(ErrorKind::InvalidArgument, name_ + ": " + what);
  };
  if (data_.empty()) return fail("empty file, not a record file");
  RecordFileHeader h{};
  if (data_.size() < sizeof h.magic ||
      std::memcmp(data_.data(), kRecordMagic, sizeof h.magic) != 0) {
    return fail("not a record file (bad magic; write one with ptk trace --record)");
  }
  if (data_.size() < sizeof h) {
    return fail("truncated header (" + std::to_string(data_.size()) + " of " +
                std::to_string(sizeof h) + " bytes)");
  }
  std::memcpy(&h, data_.data(), sizeof h);
  if (h.version == 0 || h.version > kRecordVersion) {
    return fail("record format version " + std::to_string(h.version) + ", this ptk reads up to " +
                std::to_string(kRecordVersion) + " (use a newer ptk)");
  }
  if (h.header_size < sizeof h || h.header_size % 8 != 0 ||
      h.target_len > h.header_size - sizeof h) {
    return fail("bad header size " + std::to_string(h.header_size));
  }
  if (h.header_size > data_.size()) {
    return fail("truncated header (" + std::to_string(data_.size()) + " of " +
                std::to_string(h.header_size) + " bytes)");
  }
  if (h.backend != static_cast<std::uint16_t>(RecordBackend::Ptrace) &&
      h.backend != static_cast<std::uint16_t>(RecordBackend::Bpf)) {
    return fail("unknown backend " + std::to_string(h.backend) + " in the header");
  }
  if (h.host_abi > PTK_ABI_AARCH64) {
    return fail("unknown host ABI " + std::to_string(h.host_abi) + " in the header");
  }
  info_.version = h.version;
  info_.clock_offset_ns = h.clock_offset_ns;
  info_.start_ns = h.start_ns;
  info_.host_abi = h.host_abi;
  info_.backend = static_cast<RecordBackend>(h.backend);
  info_.string_limit = h.string_limit;
  info_.flags = h.flags;
  info_.target.assign(reinterpret_cast<const char*>(data_.data()) + sizeof h, h.target_len);
  pos_ = h.header_size;
  return ok_status();
}

Result<std::span<const std::byte>> RecordReader::next() {
  std::uint64_t left = data_.size() - pos_;
  if (left == 0) return std::span<const std::byte>{};
  ptk_ev_header h{};
  if (left < sizeof h) {
    return bad(pos_, "truncated record (" + std::to_string(left) + " bytes left, a header is " +
                         std::to_string(sizeof h) + ")");
  }
  std::memcpy(&h, data_.data() + pos_, sizeof h);
  if (h.size < sizeof h || h.size % 8 != 0 || h.size > PTK_EV_MAX_SIZE) {
    return bad(pos_, "impossible record size " + std::to_string(h.size));
  }
  if (h.size > left) {
    return bad(pos_, "truncated record (" + std::to_string(h.size) + " bytes, " +
                         std::to_string(left) + " left in the file)");
  }
  std::size_t least = min_size(h.type);
  if (least == 0) return bad(pos_, "unknown record type " + std::to_string(h.type));
  if (h.size < least) {
    return bad(pos_, "record of type " + std::to_string(h.type) + " too short (" +
                         std::to_string(h.size) + " bytes)");
  }
  auto rec = data_.subspan(pos_, h.size);
  pos_ += h.size;
  return rec;
}

}  // namespace ptk::sys
