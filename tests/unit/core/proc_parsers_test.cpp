// The /proc parsers: maps (paths with spaces, pseudo-paths, anonymous mappings, malformed
// lines), status, and auxv images of both word sizes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "ptk/core/proc.h"

namespace ptk {
namespace {

constexpr std::string_view kMaps =
    "55d0c0a00000-55d0c0a02000 r--p 00000000 fd:01 1234567                    /usr/bin/cat\n"
    "55d0c0a02000-55d0c0a07000 r-xp 00002000 fd:01 1234567                    /usr/bin/cat\n"
    "7f0000000000-7f0000021000 rw-p 00000000 00:00 0 \n"
    "7f1234500000-7f1234501000 rw-s 00001000 00:05 42                         "
    "/tmp/a file with  two spaces (deleted)\n"
    "7ffd1a2b3000-7ffd1a2d4000 rw-p 00000000 00:00 0                          [stack]\n"
    "7ffd1a3f4000-7ffd1a3f6000 r-xp 00000000 00:00 0                          [vdso]\n"
    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";

TEST(ParseMaps, FieldsOfEveryLine) {
  auto maps = parse_maps(kMaps);
  ASSERT_TRUE(maps.has_value());
  ASSERT_EQ(maps->size(), 7u);
  const MapEntry& text = (*maps)[1];
  EXPECT_EQ(text.start, 0x55d0c0a02000u);
  EXPECT_EQ(text.end, 0x55d0c0a07000u);
  EXPECT_EQ(text.size(), 0x5000u);
  EXPECT_TRUE(text.read);
  EXPECT_FALSE(text.write);
  EXPECT_TRUE(text.exec);
  EXPECT_FALSE(text.shared);
  EXPECT_EQ(text.offset, 0x2000u);
  EXPECT_EQ(text.dev, "fd:01");
  EXPECT_EQ(text.inode, 1234567u);
  EXPECT_EQ(text.path, "/usr/bin/cat");
  EXPECT_TRUE(text.contains(0x55d0c0a02000));
  EXPECT_TRUE(text.contains(0x55d0c0a06fff));
  EXPECT_FALSE(text.contains(0x55d0c0a07000));
}

TEST(ParseMaps, AnonymousMappingHasNoPath) {
  auto maps = parse_maps(kMaps);
  ASSERT_TRUE(maps.has_value());
  const MapEntry& anon = (*maps)[2];
  EXPECT_EQ(anon.path, "");
  EXPECT_EQ(anon.inode, 0u);
  EXPECT_EQ(anon.dev, "00:00");
  EXPECT_TRUE(anon.read && anon.write && !anon.exec);
}

TEST(ParseMaps, PathsKeepTheirSpaces) {
  auto maps = parse_maps(kMaps);
  ASSERT_TRUE(maps.has_value());
  const MapEntry& shared = (*maps)[3];
  EXPECT_EQ(shared.path, "/tmp/a file with  two spaces (deleted)");
  EXPECT_TRUE(shared.shared);
  EXPECT_EQ(shared.offset, 0x1000u);
  EXPECT_EQ(shared.inode, 42u);
}

TEST(ParseMaps, PseudoPaths) {
  auto maps = parse_maps(kMaps);
  ASSERT_TRUE(maps.has_value());
  EXPECT_EQ((*maps)[4].path, "[stack]");
  EXPECT_EQ((*maps)[5].path, "[vdso]");
  EXPECT_TRUE((*maps)[5].exec);
  const MapEntry& vsyscall = (*maps)[6];
  EXPECT_EQ(vsyscall.path, "[vsyscall]");
  EXPECT_EQ(vsyscall.start, 0xffffffffff600000u);
  EXPECT_FALSE(vsyscall.read);
  EXPECT_TRUE(vsyscall.exec);
}

TEST(ParseMaps, EmptyTextAndMissingFinalNewline) {
  auto empty = parse_maps("");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
  auto one = parse_maps("1000-2000 r--p 00000000 00:00 0 [heap]");
  ASSERT_TRUE(one.has_value());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].path, "[heap]");
}

TEST(ParseMaps, MalformedInputIsNullopt) {
  for (std::string_view bad : {
           "garbage\n",
           "1000-2000 rw-p\n",                   // fields missing
           "1000-2000 rw-p 00000000 00:00\n",    // no inode
           "10002000 rw-p 00000000 00:00 0\n",   // no dash in the range
           "zzzz-2000 rw-p 00000000 00:00 0\n",  // not hex
           "1000-2000 rw 00000000 00:00 0\n",    // perms too short
           "1000-2000 rw-p 0000000g 00:00 0\n",  // bad offset
           "1000-2000 rw-p 00000000 00:00 x\n",  // bad inode
       }) {
    EXPECT_EQ(parse_maps(bad), std::nullopt) << bad;
  }
  // One bad line spoils the whole text.
  std::string mixed = std::string(kMaps) + "bad line\n";
  EXPECT_EQ(parse_maps(mixed), std::nullopt);
}

TEST(ParseMaps, OwnMaps) {
  auto text = read_proc_file(::getpid(), "maps");
  ASSERT_TRUE(text.ok()) << text.error().message();
  auto maps = parse_maps(*text);
  ASSERT_TRUE(maps.has_value());
  int code = 0;
  auto here = reinterpret_cast<std::uint64_t>(&parse_maps);
  for (const MapEntry& m : *maps) code += m.contains(here) && m.exec;
  EXPECT_EQ(code, 1);
}

constexpr std::string_view kStatus =
    "Name:\tmy prog\n"
    "Umask:\t0022\n"
    "State:\tS (sleeping)\n"
    "Tgid:\t4242\n"
    "Ngid:\t0\n"
    "Pid:\t4243\n"
    "PPid:\t1\n"
    "TracerPid:\t777\n"
    "Uid:\t1000\t1001\t1002\t1003\n"
    "Gid:\t100\t101\t102\t103\n"
    "FDSize:\t64\n"
    "Threads:\t3\n";

TEST(ParseStatus, Fields) {
  auto st = parse_status(kStatus);
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->name, "my prog");
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->tgid, 4242);
  EXPECT_EQ(st->ppid, 1);
  EXPECT_EQ(st->tracer_pid, 777);
  EXPECT_EQ(st->uid[0], 1000u);
  EXPECT_EQ(st->uid[1], 1001u);
  EXPECT_EQ(st->uid[2], 1002u);
  EXPECT_EQ(st->uid[3], 1003u);
  EXPECT_EQ(st->gid[0], 100u);
  EXPECT_EQ(st->gid[3], 103u);
  EXPECT_EQ(st->threads, 3);
}

TEST(ParseStatus, MalformedIsNullopt) {
  EXPECT_EQ(parse_status(""), std::nullopt);
  EXPECT_EQ(parse_status("Name:\tx\nTgid:\t5\n"), std::nullopt);  // no Pid line
  EXPECT_EQ(parse_status("Name:\tx\nPid:\t5\n"), std::nullopt);   // no Tgid
  EXPECT_EQ(parse_status("Tgid:\tfive\nPid:\t5\n"), std::nullopt);
  EXPECT_EQ(parse_status("Tgid:\t5\nPid:\t5\nUid:\t1\t2\n"), std::nullopt);  // 2 of 4 ids
  EXPECT_EQ(parse_status("Tgid:\t5\nPid:\t5\nTracerPid:\t-\n"), std::nullopt);
}

TEST(ParseStatus, OwnStatus) {
  auto st = read_status(::getpid());
  ASSERT_TRUE(st.ok()) << st.error().message();
  EXPECT_EQ(st->tgid, ::getpid());
  EXPECT_EQ(st->ppid, ::getppid());
  EXPECT_EQ(st->uid[0], ::getuid());
  EXPECT_GE(st->threads, 1);
}

template <typename Word>
std::vector<std::byte> auxv_image(std::initializer_list<Word> words) {
  std::vector<std::byte> out(words.size() * sizeof(Word));
  std::memcpy(out.data(), std::data(words), out.size());
  return out;
}

TEST(ParseAuxv, EightByteWords) {
  auto image =
      auxv_image<std::uint64_t>({6, 4096, 9, 0x401000, 33, 0x7ffff7fc1000ull, 0, 0, 99, 99});
  auto pairs = parse_auxv(image, 8);
  using Pair = std::pair<std::uint64_t, std::uint64_t>;
  ASSERT_EQ(pairs.size(), 3u);                         // up to AT_NULL, not beyond
  EXPECT_EQ(pairs[0], (Pair{6, 4096}));                // AT_PAGESZ
  EXPECT_EQ(pairs[1], (Pair{9, 0x401000}));            // AT_ENTRY
  EXPECT_EQ(pairs[2], (Pair{33, 0x7ffff7fc1000ull}));  // AT_SYSINFO_EHDR
}

TEST(ParseAuxv, FourByteWords) {
  auto image = auxv_image<std::uint32_t>({6, 4096, 9, 0x8049000, 16, 0xfffff000u, 0, 0});
  auto pairs = parse_auxv(image, 4);
  using Pair = std::pair<std::uint64_t, std::uint64_t>;
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[0], (Pair{6, 4096}));
  EXPECT_EQ(pairs[1], (Pair{9, 0x8049000}));
  EXPECT_EQ(pairs[2], (Pair{16, 0xfffff000u}));  // zero-extended, not sign-extended
}

TEST(ParseAuxv, TruncatedAndUnterminatedImages) {
  EXPECT_TRUE(parse_auxv({}, 8).empty());
  // No AT_NULL: every complete pair; a trailing half pair is ignored.
  auto image = auxv_image<std::uint64_t>({6, 4096, 9});
  auto pairs = parse_auxv(image, 8);
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].second, 4096u);
  auto odd = auxv_image<std::uint32_t>({6, 4096, 9});
  EXPECT_EQ(parse_auxv(std::span(odd).first(10), 4).size(), 1u);
}

TEST(ParseAuxv, OwnAuxv) {
  auto text = read_proc_file(::getpid(), "auxv");
  ASSERT_TRUE(text.ok()) << text.error().message();
  auto pairs = parse_auxv(std::as_bytes(std::span(text->data(), text->size())), 8);
  bool saw_pagesz = false;
  for (auto [type, value] : pairs) {
    if (type == 6) {
      saw_pagesz = true;
      EXPECT_EQ(value, static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)));
    }
  }
  EXPECT_TRUE(saw_pagesz);
}

TEST(ProcFiles, MissingProcessIsNoSuchProcess) {
  // pid_max is at most 2^22, so this pid never exists.
  auto r = read_proc_file(1 << 23, "status");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::NoSuchProcess);
  EXPECT_FALSE(process_exists(1 << 23));
  EXPECT_FALSE(process_exists(0));
  EXPECT_FALSE(process_exists(-5));
  EXPECT_TRUE(process_exists(::getpid()));
  auto tasks = list_tasks(::getpid());
  ASSERT_TRUE(tasks.ok());
  ASSERT_FALSE(tasks->empty());
  EXPECT_EQ(tasks->front(), ::getpid());
}

}  // namespace
}  // namespace ptk
