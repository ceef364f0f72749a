// The decoder families: each folder of src/sys/decoders/ (or file, for a family of one file)
// owns the syscalls and structs of one family and lists them in one function. registry.cpp
// merges them into sorted indexes.
#pragma once

#include <span>

#include "ptk/sys/decode.h"

namespace ptk::sys {

struct Family {
  std::span<const DecoderEntry> decoders;
  std::span<const StructEntry> structs;
};

Family file_family();     // paths, stat family, directories, permissions, statfs
Family desc_family();     // read/write family, fcntl, ioctl, dup, pipes, poll/select/epoll, ...
Family memory_family();   // mmap family, brk, madvise
Family process_family();  // execve, clone, wait, exit, prctl, rlimits, uname, ids, sched
Family signal_family();   // sigaction, sigprocmask, sigaltstack, kill family
Family network_family();  // sockets and sockaddrs
Family time_family();     // clocks, sleeps, timers, futex, getrandom
Family i386_family();     // socketcall, ipc, old mmap, _llseek and the other i386-only calls
Family ipc_family();      // SysV IPC: msg*, sem*, shm*
Family misc_family();     // keys, fanotify, memfd (misc/misc_decoders.h)
Family mount_family();    // mount, umount2 and the new mount API (fsopen, fsconfig, ...)

}  // namespace ptk::sys
