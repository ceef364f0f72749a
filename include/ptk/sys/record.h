// Record files (`ptk trace --record FILE`, read by `ptk show FILE`): a versioned header, then
// the raw records of raw_event.h back to back, the same bytes the eBPF ring buffer carries.
// The layout is documented in docs/record-format.md; a change of it is a new version.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ptk/base/result.h"

namespace ptk::sys {

// The first 8 bytes of every record file.
inline constexpr char kRecordMagic[8] = {'P', 'T', 'K', 'R', 'E', 'C', '\r', '\n'};
// The newest version this build writes and reads.
inline constexpr std::uint32_t kRecordVersion = 1;

// The fixed part of the file header, as it is on disk (host byte order). `header_size` covers
// it and the variable part after it (the traced command), padded to a multiple of 8.
struct RecordFileHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t header_size;
  std::int64_t clock_offset_ns;  // CLOCK_REALTIME - CLOCK_MONOTONIC when the trace started
  std::int64_t start_ns;         // CLOCK_REALTIME when the trace started
  std::uint16_t host_abi;        // enum ptk_ev_abi of the recording host's native ABI
  std::uint16_t backend;         // RecordBackend
  std::uint32_t string_limit;    // -s in effect
  std::uint32_t flags;           // kRecordVerbose...
  std::uint32_t target_len;      // bytes of the target text that follows this struct
};
static_assert(sizeof(RecordFileHeader) == 48);

enum class RecordBackend : std::uint16_t { Ptrace = 1, Bpf = 2 };

// RecordFileHeader::flags
inline constexpr std::uint32_t kRecordVerbose = 0x1;   // -v: structures captured whole
inline constexpr std::uint32_t kRecordFollow = 0x2;    // -f: children were traced
inline constexpr std::uint32_t kRecordAttached = 0x4;  // target is pids (-p), not a command

// The header as a program sees it.
struct RecordInfo {
  std::uint32_t version = kRecordVersion;
  std::int64_t clock_offset_ns = 0;
  std::int64_t start_ns = 0;
  std::uint16_t host_abi = 0;
  RecordBackend backend = RecordBackend::Ptrace;
  std::uint32_t string_limit = 32;
  std::uint32_t flags = 0;
  // The command line (arguments separated by NUL bytes), or with kRecordAttached the pids as
  // decimal numbers separated by NUL bytes.
  std::string target;
};

// Writes a record file. Records go through a buffer and are written in large blocks: no
// decoding, no allocation per record.
class RecordWriter {
 public:
  RecordWriter() = default;
  ~RecordWriter();
  RecordWriter(const RecordWriter&) = delete;
  RecordWriter& operator=(const RecordWriter&) = delete;

  // Creates (truncates) `path` and writes the header.
  static Result<std::unique_ptr<RecordWriter>> create(const std::string& path,
                                                      const RecordInfo& info);

  // One whole record (its size is in its header). After the first write error, appends nothing
  // and close() reports it.
  void append(std::span<const std::byte> record);
  // Flushes and closes; the first error of any write (ENOSPC...), naming the file.
  Status close();
  std::uint64_t records() const { return records_; }

 private:
  void flush();

  std::string path_;
  int fd_ = -1;
  std::vector<std::byte> buf_;
  std::size_t used_ = 0;
  int error_ = 0;  // the errno of the first failed write
  std::uint64_t records_ = 0;
};

// Reads a record file: the header once, then each record after checking its framing.
class RecordReader {
 public:
  RecordReader(RecordReader&&) = default;  // keeps owned_'s buffer, so data_ stays valid
  RecordReader& operator=(RecordReader&&) = default;
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;
  // Reads the file whole (a record file is read once, front to back; the fuzzer uses bytes()).
  static Result<RecordReader> open(const std::string& path);
  // Over bytes the caller keeps alive; `name` stands for the file in messages.
  static Result<RecordReader> from_bytes(std::span<const std::byte> bytes, std::string name);

  const RecordInfo& info() const { return info_; }
  // The next record's bytes (size, type checked; contents not), or an empty span at the end
  // of the file, or an error naming the file, the offset and what is wrong.
  Result<std::span<const std::byte>> next();
  std::uint64_t offset() const { return pos_; }

 private:
  RecordReader() = default;
  Status parse_header();
  Error bad(std::uint64_t at, const std::string& what) const;

  std::string name_;
  std::vector<std::byte> owned_;
  std::span<const std::byte> data_;
  std::uint64_t pos_ = 0;
  RecordInfo info_;
};

}  // namespace ptk::sys
