// Decoding of the SysV IPC calls on raw arguments, as strace 6.1 prints them.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>

#include "decoded_line.h"

namespace ptk::sys {
namespace {

std::uint64_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

TEST(SysIpc, GetFlagsThenMode) {
  EXPECT_EQ(decoded_line(Arch::X86_64, "msgget", {0xfdb9f531, 0xface1c55}, -ENOENT),
            "msgget(0xfdb9f531, IPC_EXCL|IPC_NOWAIT|0xface1000|0125) = -1 ENOENT (No such file "
            "or directory)");
  EXPECT_EQ(decoded_line(Arch::X86_64, "semget", {0, 1, 0600}, 7),
            "semget(IPC_PRIVATE, 1, 0600) = 7");
  EXPECT_EQ(decoded_line(Arch::X86_64, "shmget", {1, 4096, (21u << 26) | 01600}, 3),
            "shmget(0x1, 4096, IPC_CREAT|21<<SHM_HUGE_SHIFT|0600) = 3");
  EXPECT_EQ(decoded_line(Arch::X86_64, "shmget", {1, 4096, 0}, 3), "shmget(0x1, 4096, 000) = 3");
}

TEST(SysIpc, CtlStructByCommand) {
  // struct msqid64_ds with only msg_qbytes and the mode set; IPC_SET shows what the kernel reads.
  unsigned char ds[120] = {};
  ds[20] = 0600 & 0xff;
  ds[21] = 0600 >> 8;
  ds[89] = 0x40;  // msg_qbytes = 0x4000, little-endian
  EXPECT_EQ(decoded_line(Arch::X86_64, "msgctl", {5, 1, addr(ds)}, 0),
            "msgctl(5, IPC_SET, {msg_perm={uid=0, gid=0, mode=0600}, msg_qbytes=16384}) = 0");
  EXPECT_EQ(decoded_line(Arch::X86_64, "msgctl", {5, 2, addr(ds)}, 0),
            "msgctl(5, IPC_STAT, {msg_perm={uid=0, gid=0, mode=0600, key=0, cuid=0, cgid=0}, "
            "msg_stime=0, msg_rtime=0, msg_ctime=0, msg_qnum=0, msg_qbytes=16384, msg_lspid=0, "
            "msg_lrpid=0}) = 0");
  EXPECT_EQ(decoded_line(Arch::X86_64, "shmctl", {5, 0, 0}, 0), "shmctl(5, IPC_RMID, NULL) = 0");
}

TEST(SysIpc, SembufArray) {
  const std::uint16_t sops[3] = {0, static_cast<std::uint16_t>(-1), 0x1000};
  EXPECT_EQ(decoded_line(Arch::X86_64, "semop", {9, addr(sops), 1}, 0),
            "semop(9, [{sem_num=0, sem_op=-1, sem_flg=SEM_UNDO}], 1) = 0");
}

}  // namespace
}  // namespace ptk::sys
