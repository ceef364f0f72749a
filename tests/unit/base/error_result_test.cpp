// Error, Result<T>, the PTK_TRY/PTK_ASSIGN_OR_RETURN macros, RemotePtr arithmetic and UniqueFd.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <set>
#include <string>

#include "ptk/base/error.h"
#include "ptk/base/remote_ptr.h"
#include "ptk/base/result.h"
#include "ptk/base/unique_fd.h"

namespace ptk {
namespace {

TEST(Error, KindFromErrno) {
  EXPECT_EQ(kind_from_errno(ESRCH), ErrorKind::NoSuchProcess);
  EXPECT_EQ(kind_from_errno(EPERM), ErrorKind::PermissionDenied);
  EXPECT_EQ(kind_from_errno(EACCES), ErrorKind::PermissionDenied);
  EXPECT_EQ(kind_from_errno(EFAULT), ErrorKind::BadAddress);
  EXPECT_EQ(kind_from_errno(EIO), ErrorKind::BadAddress);
  EXPECT_EQ(kind_from_errno(EINVAL), ErrorKind::InvalidArgument);
  EXPECT_EQ(kind_from_errno(ENOENT), ErrorKind::NotFound);
  EXPECT_EQ(kind_from_errno(ENOSYS), ErrorKind::Unsupported);
  EXPECT_EQ(kind_from_errno(EOPNOTSUPP), ErrorKind::Unsupported);
  EXPECT_EQ(kind_from_errno(EBUSY), ErrorKind::Io);
  EXPECT_EQ(kind_from_errno(ENOSPC), ErrorKind::Io);
}

TEST(Error, FromErrnoKeepsCallErrnoAndHint) {
  Error e = Error::from_errno(EPERM, "ptrace(PTRACE_SEIZE, 42)", "run as root");
  EXPECT_EQ(e.kind(), ErrorKind::PermissionDenied);
  EXPECT_EQ(e.error_number(), EPERM);
  EXPECT_EQ(e.call(), "ptrace(PTRACE_SEIZE, 42)");
  EXPECT_EQ(e.hint(), "run as root");
}

TEST(Error, MessageFormats) {
  // "<call>: <strerror>; <hint>", each part only when present.
  EXPECT_EQ(Error(ErrorKind::PermissionDenied, "attach 42", EPERM, "run as root").message(),
            std::string("attach 42: ") + std::strerror(EPERM) + "; run as root");
  EXPECT_EQ(Error(ErrorKind::NotFound, "open /x", ENOENT).message(),
            std::string("open /x: ") + std::strerror(ENOENT));
  EXPECT_EQ(Error(ErrorKind::InvalidArgument, "attach 0", 0, "a pid is positive").message(),
            "attach 0; a pid is positive");
  EXPECT_EQ(Error(ErrorKind::Internal, "broken").message(), "broken");
  EXPECT_EQ(Error(ErrorKind::TraceeGone, "").message(), "tracee gone");
  EXPECT_EQ(Error(ErrorKind::Io, "", EBUSY).message(), std::strerror(EBUSY));
  // No newline: the CLI prints it as one line.
  EXPECT_EQ(Error(ErrorKind::Io, "a", EIO, "b").message().find('\n'), std::string::npos);
}

TEST(Error, WithHintReplacesTheHint) {
  Error e(ErrorKind::Io, "read", EIO, "old");
  e.with_hint("new");
  EXPECT_EQ(e.hint(), "new");
  EXPECT_EQ(e.message(), std::string("read: ") + std::strerror(EIO) + "; new");
}

TEST(Error, EveryKindHasADistinctName) {
  std::set<std::string_view> names;
  for (ErrorKind k :
       {ErrorKind::TraceeGone, ErrorKind::PermissionDenied, ErrorKind::NoSuchProcess,
        ErrorKind::AlreadyTraced, ErrorKind::BadAddress, ErrorKind::InvalidArgument,
        ErrorKind::NotFound, ErrorKind::Unsupported, ErrorKind::Io, ErrorKind::Internal}) {
    EXPECT_FALSE(to_string(k).empty());
    EXPECT_TRUE(names.insert(to_string(k)).second) << to_string(k);
  }
}

TEST(Result, ValueAndError) {
  Result<int> ok = 42;
  EXPECT_TRUE(ok.ok());
  EXPECT_TRUE(static_cast<bool>(ok));
  EXPECT_EQ(ok.value(), 42);
  EXPECT_EQ(*ok, 42);
  EXPECT_EQ(ok.value_or(7), 42);

  Result<int> bad = Error(ErrorKind::BadAddress, "read", EFAULT);
  EXPECT_FALSE(bad.ok());
  EXPECT_FALSE(static_cast<bool>(bad));
  EXPECT_EQ(bad.error().kind(), ErrorKind::BadAddress);
  EXPECT_EQ(bad.value_or(7), 7);
}

TEST(Result, MovesItsValueAndError) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 5);
  Result<std::string> s = std::string("text");
  EXPECT_EQ(s->size(), 4u);
  Result<std::string> e = Error(ErrorKind::Io, "x");
  Error moved = std::move(e).error();
  EXPECT_EQ(moved.call(), "x");
}

TEST(Result, Void) {
  Status ok = ok_status();
  EXPECT_TRUE(ok.ok());
  Status bad = Error(ErrorKind::NotFound, "find");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::NotFound);
}

Result<int> parse_positive(int v) {
  if (v <= 0) return Error(ErrorKind::InvalidArgument, "parse", 0, "not positive");
  return v;
}

Status check_positive(int v) {
  PTK_TRY(parse_positive(v));
  return ok_status();
}

Result<int> doubled(int v) {
  PTK_ASSIGN_OR_RETURN(int x, parse_positive(v));
  return 2 * x;
}

TEST(Result, TryAndAssignOrReturnPropagate) {
  EXPECT_TRUE(check_positive(1).ok());
  Status s = check_positive(-1);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().hint(), "not positive");
  EXPECT_EQ(doubled(4).value_or(0), 8);
  Result<int> d = doubled(0);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().kind(), ErrorKind::InvalidArgument);
}

TEST(RemotePtr, ArithmeticIsElementWise) {
  constexpr RemotePtr<std::uint32_t> p(0x1000);
  static_assert((p + 1).addr() == 0x1004);
  static_assert((p - 1).addr() == 0xffc);
  EXPECT_EQ((p + 3).addr(), 0x100cu);
  EXPECT_EQ((p + -2).addr(), 0xff8u);
  RemotePtr<std::uint64_t> q(0x2000);
  q += 2;
  EXPECT_EQ(q.addr(), 0x2010u);
  RemoteAddr b(0x3000);
  EXPECT_EQ((b + 5).addr(), 0x3005u);
  EXPECT_EQ((RemotePtr<void>(0x10) + 3).addr(), 0x13u);  // void counts as bytes
  struct Big {
    char bytes[24];
  };
  EXPECT_EQ((RemotePtr<Big>(0) + 2).addr(), 48u);
}

TEST(RemotePtr, CastsComparisonsAndNull) {
  RemotePtr<std::uint32_t> p(0x1000);
  EXPECT_EQ(p.cast<char>().addr(), 0x1000u);
  EXPECT_EQ(p.bytes().addr(), 0x1000u);
  EXPECT_EQ((p.cast<char>() + 1).addr(), 0x1001u);
  EXPECT_LT(p, p + 1);
  EXPECT_EQ(p, RemotePtr<std::uint32_t>(0x1000));
  EXPECT_NE(p, p + 1);
  RemotePtr<int> null;
  EXPECT_TRUE(null.is_null());
  EXPECT_FALSE(static_cast<bool>(null));
  EXPECT_EQ(null.addr(), 0u);
  EXPECT_FALSE(p.is_null());
  EXPECT_TRUE(static_cast<bool>(p));
}

TEST(UniqueFd, ClosesOnceAndMoves) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  int raw = fds[0];
  {
    UniqueFd a(fds[0]);
    UniqueFd b(std::move(a));
    EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
    EXPECT_EQ(b.get(), raw);
    UniqueFd c;
    c = std::move(b);
    EXPECT_TRUE(c.valid());
  }
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);  // closed by c
  UniqueFd w(fds[1]);
  int released = w.release();
  EXPECT_FALSE(w.valid());
  EXPECT_EQ(::close(released), 0);
}

}  // namespace
}  // namespace ptk
