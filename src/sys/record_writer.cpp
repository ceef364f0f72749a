// RecordWriter: the header once, then whole records through a 1 MiB buffer, so that a trace
// pays one write(2) per megabyte and nothing per record but a copy.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ptk/sys/raw_event.h"
#include "ptk/sys/record.h"

namespace ptk::sys {
namespace {

constexpr std::size_t kBufferSize = 1 << 20;

// write(2) until done; the errno of a failure, else 0.
int write_all(int fd, const std::byte* data, std::size_t len) {
  while (len > 0) {
    ssize_t n = ::write(fd, data, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return EIO;
    data += n;
    len -= static_cast<std::size_t>(n);
  }
  return 0;
}

}  // namespace

RecordWriter::~RecordWriter() {
  if (fd_ >= 0) (void)close();
}

Result<std::unique_ptr<RecordWriter>> RecordWriter::create(const std::string& path,
                                                           const RecordInfo& info) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error::from_errno(errno, "cannot create record file " + path);
  auto w = std::make_unique<RecordWriter>();
  w->path_ = path;
  w->fd_ = fd;
  w->buf_.resize(kBufferSize);

  RecordFileHeader h{};
  std::memcpy(h.magic, kRecordMagic, sizeof h.magic);
  h.version = kRecordVersion;
  h.target_len = static_cast<std::uint32_t>(info.target.size());
  h.header_size = static_cast<std::uint32_t>(PTK_CHUNK_PAD(sizeof h + info.target.size()));
  h.clock_offset_ns = info.clock_offset_ns;
  h.start_ns = info.start_ns;
  h.host_abi = info.host_abi;
  h.backend = static_cast<std::uint16_t>(info.backend);
  h.string_limit = info.string_limit;
  h.flags = info.flags;
  // The header is small; the buffer is empty: it always fits.
  std::memcpy(w->buf_.data(), &h, sizeof h);
  std::memcpy(w->buf_.data() + sizeof h, info.target.data(), info.target.size());
  std::memset(w->buf_.data() + sizeof h + info.target.size(), 0,
              h.header_size - sizeof h - info.target.size());
  w->used_ = h.header_size;
  return w;
}

void RecordWriter::append(std::span<const std::byte> record) {
  if (error_ != 0 || fd_ < 0) return;
  if (used_ + record.size() > buf_.size()) flush();
  if (record.size() > buf_.size()) {  // cannot happen with PTK_EV_MAX_SIZE; be safe anyway
    error_ = write_all(fd_, record.data(), record.size());
  } else {
    std::memcpy(buf_.data() + used_, record.data(), record.size());
    used_ += record.size();
  }
  ++records_;
}

void RecordWriter::flush() {
  if (error_ == 0 && used_ > 0) error_ = write_all(fd_, buf_.data(), used_);
  used_ = 0;
}

Status RecordWriter::close() {
  if (fd_ < 0) return ok_status();
  flush();
  // close(2) reports the errors of a file system that writes back late (NFS, a full quota).
  if (::close(fd_) != 0 && error_ == 0) error_ = errno;
  fd_ = -1;
  if (error_ != 0) return Error::from_errno(error_, "cannot write record file " + path_);
  return ok_status();
}

}  // namespace ptk::sys
