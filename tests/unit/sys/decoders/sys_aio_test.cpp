// Native AIO as strace's aio.c prints it: io_submit's iocbs by command, io_getevents' events.
#include <fmt/format.h>
#include <linux/aio_abi.h>

#include <array>
#include <string>

#include "decoded_line.h"

namespace ptk::sys {
namespace {

std::uint64_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

TEST(Aio, SubmitShowsEachIocbByCommand) {
  static const char text[] = "hi";
  std::array<iocb, 2> cbs{};
  cbs[0].aio_data = 0xfeed;
  cbs[0].aio_lio_opcode = IOCB_CMD_PWRITE;
  cbs[0].aio_fildes = 1;
  cbs[0].aio_buf = addr(text);
  cbs[0].aio_nbytes = 2;
  cbs[1].aio_lio_opcode = 61453;
  cbs[1].aio_reqprio = 5;
  cbs[1].aio_fildes = 3;
  std::array<iocb*, 2> ptrs{&cbs[0], &cbs[1]};
  EXPECT_EQ(decoded_line(Arch::X86_64, "io_submit", {0x1000, 2, addr(ptrs.data())}, 2),
            "io_submit(0x1000, 2, [{aio_data=0xfeed, aio_lio_opcode=IOCB_CMD_PWRITE, aio_fildes=1, "
            "aio_buf=\"hi\", aio_nbytes=2, aio_offset=0}, {aio_data=0, aio_lio_opcode=61453 /* "
            "IOCB_CMD_??? */, aio_reqprio=5, aio_fildes=3}]) = 2");
}

TEST(Aio, GeteventsShowsTheEventsAtExit) {
  std::array<io_event, 1> ev{{{0xfeed, 0x2000, 4096, 0}}};
  EXPECT_EQ(decoded_line(Arch::X86_64, "io_getevents", {0x1000, 1, 2, addr(ev.data()), 0}, 1),
            "io_getevents(0x1000, 1, 2, [{data=0xfeed, obj=0x2000, res=4096, res2=0}], NULL) = 1");
}

}  // namespace
}  // namespace ptk::sys
