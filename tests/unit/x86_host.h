// For the unit tests that describe x86 tracees (x86_64 and i386 syscalls) through the parts of
// ptk that know only what a tracee of this host can be: the syscall filters, tamper rules and
// seccomp names of the host's ABIs (kHostArches), the flag values and struct stat of the build
// target. They are x86-host tests: elsewhere they skip, saying so.
#pragma once

#include <gtest/gtest.h>

#include "ptk/arch/arch.h"

#define PTK_REQUIRE_X86_HOST()                    \
  if (::ptk::is_host_arch(::ptk::Arch::X86_64)) { \
  } else                                          \
    GTEST_SKIP() << "x86 host only: it decodes or filters x86 tracees' syscalls"
