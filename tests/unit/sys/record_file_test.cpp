// RecordWriter and RecordReader: a file written reads back record for record, and every kind
// of damage (empty, garbage, a newer version, a short header, bad framing, a cut last record)
// is one error naming the file, never a crash.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "ptk/sys/raw_event.h"
#include "ptk/sys/record.h"

namespace ptk::sys {
namespace {

std::string temp_path(const char* name) {
  return ::testing::TempDir() + "ptk_record_" + std::to_string(::getpid()) + "_" + name;
}

std::vector<std::byte> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> c((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(c.size());
  std::memcpy(out.data(), c.data(), c.size());
  return out;
}

void write_all(const std::string& path, std::span<const std::byte> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

template <typename T>
std::span<const std::byte> bytes_of(const T& v) {
  return std::as_bytes(std::span(&v, 1));
}

RecordInfo sample_info() {
  RecordInfo info;
  info.clock_offset_ns = 1234567890123;
  info.start_ns = 1700000000000000000;
  info.host_abi = PTK_ABI_X86_64;
  info.backend = RecordBackend::Ptrace;
  info.string_limit = 64;
  info.flags = kRecordVerbose;
  info.target = std::string("ls\0-l", 5);
  return info;
}

// A file with an exit record and a fork record.
std::string write_sample(const char* name) {
  std::string path = temp_path(name);
  auto w = RecordWriter::create(path, sample_info());
  EXPECT_TRUE(w.ok()) << w.error().message();
  ptk_ev_exit ex{};
  ex.h = {sizeof ex, PTK_EV_EXIT, 0, 42, 42, 1000};
  ex.status = 3 << 8;
  ex.flags = PTK_EXIT_GROUP_DEAD;
  ptk_ev_fork fk{};
  fk.h = {sizeof fk, PTK_EV_FORK, 0, 42, 42, 900};
  fk.child_tid = 43;
  (*w)->append(bytes_of(fk));
  (*w)->append(bytes_of(ex));
  EXPECT_TRUE((*w)->close().ok());
  return path;
}

std::string open_error(const std::string& path) {
  auto r = RecordReader::open(path);
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.error().message();
}

// The error of the first record that fails, or "".
std::string framing_error(const std::string& path) {
  auto r = RecordReader::open(path);
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return r.error().message();
  for (;;) {
    auto rec = r->next();
    if (!rec.ok()) return rec.error().message();
    if (rec->empty()) return "";
  }
}

TEST(RecordFile, RoundTrip) {
  std::string path = write_sample("roundtrip");
  auto r = RecordReader::open(path);
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->info().version, kRecordVersion);
  EXPECT_EQ(r->info().clock_offset_ns, 1234567890123);
  EXPECT_EQ(r->info().start_ns, 1700000000000000000);
  EXPECT_EQ(r->info().string_limit, 64u);
  EXPECT_EQ(r->info().flags, kRecordVerbose);
  EXPECT_EQ(r->info().target, std::string("ls\0-l", 5));
  auto a = r->next();
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->size(), sizeof(ptk_ev_fork));
  ptk_ev_fork fk;
  std::memcpy(&fk, a->data(), sizeof fk);
  EXPECT_EQ(fk.child_tid, 43u);
  auto b = r->next();
  ASSERT_TRUE(b.ok());
  ptk_ev_exit ex;
  std::memcpy(&ex, b->data(), sizeof ex);
  EXPECT_EQ(ex.status, 3 << 8);
  auto end = r->next();
  ASSERT_TRUE(end.ok());
  EXPECT_TRUE(end->empty());
  ::unlink(path.c_str());
}

TEST(RecordFile, HeaderErrors) {
  std::string path = temp_path("bad");
  write_all(path, {});
  EXPECT_EQ(open_error(path), path + ": empty file, not a record file");

  std::string junk = "this is not a record file at all, just some text\n";
  write_all(path, std::as_bytes(std::span(junk)));
  EXPECT_NE(open_error(path).find(path + ": not a record file (bad magic"), std::string::npos);

  auto good = read_all(write_sample("hdr"));
  write_all(path, std::span(good).first(20));
  EXPECT_EQ(open_error(path), path + ": truncated header (20 of 48 bytes)");

  auto newer = good;
  std::uint32_t v = kRecordVersion + 1;
  std::memcpy(newer.data() + 8, &v, 4);
  write_all(path, newer);
  EXPECT_NE(open_error(path).find("record format version 2, this ptk reads up to 1"),
            std::string::npos);

  auto odd = good;
  std::uint32_t hs = 52;
  std::memcpy(odd.data() + 12, &hs, 4);
  write_all(path, odd);
  EXPECT_EQ(open_error(path), path + ": bad header size 52");

  EXPECT_NE(open_error(path + ".missing").find("cannot open record file"), std::string::npos);
  ::unlink(path.c_str());
}

TEST(RecordFile, FramingErrors) {
  std::string path = temp_path("framing");
  auto good = read_all(write_sample("framing_src"));
  std::size_t first = 56;  // header: 48 + "ls\0-l" padded to 8
  ASSERT_EQ(good.size(), first + sizeof(ptk_ev_fork) + sizeof(ptk_ev_exit));

  write_all(path, std::span(good).first(good.size() - 4));
  EXPECT_EQ(framing_error(path), path + ": corrupt record file at byte " +
                                     std::to_string(first + sizeof(ptk_ev_fork)) +
                                     ": truncated record (32 bytes, 28 left in the file)");

  write_all(path, std::span(good).first(first + 10));
  EXPECT_EQ(framing_error(path), path +
                                     ": corrupt record file at byte 56: truncated record "
                                     "(10 bytes left, a header is 24)");

  auto set32 = [&](std::size_t at, std::uint32_t v) {
    auto b = good;
    std::memcpy(b.data() + at, &v, 4);
    write_all(path, b);
  };
  set32(first, 44);  // not a multiple of 8
  EXPECT_EQ(framing_error(path),
            path + ": corrupt record file at byte 56: impossible record size 44");
  set32(first, 0);
  EXPECT_EQ(framing_error(path),
            path + ": corrupt record file at byte 56: impossible record size 0");
  set32(first, PTK_EV_MAX_SIZE + 8);
  EXPECT_NE(framing_error(path).find("impossible record size 65544"), std::string::npos);
  set32(first + 4, 99);  // type (and abi 0)
  EXPECT_EQ(framing_error(path), path + ": corrupt record file at byte 56: unknown record type 99");
  set32(first + 4, PTK_EV_SYSCALL_ENTRY);  // a fork-sized syscall record
  EXPECT_NE(framing_error(path).find("record of type 1 too short (40 bytes)"), std::string::npos);
  ::unlink(path.c_str());
}

TEST(RecordFile, FromBytesNamesTheSource) {
  std::vector<std::byte> none;
  auto r = RecordReader::from_bytes(none, "input");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "input: empty file, not a record file");
}

TEST(RecordFile, WriteErrorIsReportedAtClose) {
  if (::access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no /dev/full";
  auto w = RecordWriter::create("/dev/full", sample_info());
  ASSERT_TRUE(w.ok());
  ptk_ev_lost lost{};
  lost.h = {sizeof lost, PTK_EV_LOST, 0, 0, 0, 1};
  for (int i = 0; i < 100000; ++i) (*w)->append(bytes_of(lost));  // several buffers
  auto st = (*w)->close();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message(), "cannot write record file /dev/full: No space left on device");
}

TEST(RecordFile, CreateErrorNamesTheFile) {
  auto w = RecordWriter::create("/nonexistent-dir/x.ptkrec", sample_info());
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().message(),
            "cannot create record file /nonexistent-dir/x.ptkrec: No such file or directory");
}

}  // namespace
}  // namespace ptk::sys
