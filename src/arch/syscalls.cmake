# The syscall tables of ptk_arch, generated from data/syscalls.txt by tools/gen_syscalls.py.
#
# The generator validates the data file and compares it with the kernel's asm/unistd_64.h,
# asm/unistd_32.h and, for aarch64, asm-generic/unistd.h as arm64 includes it (run through this
# build's compiler in preprocessor mode, so an x86 host checks it too). A syscall missing from the
# data file, or a wrong number, fails the build with file:line. It also writes one check
# translation unit per ABI that static_asserts every number against the header the compiler
# itself sees; they cannot share a TU because the headers define the same __NR_* names. Paths are taken from this file's location rather than
# PROJECT_SOURCE_DIR so that src/arch can be built on its own.

get_filename_component(PTK_SYSCALLS_ROOT "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
set(PTK_SYSCALLS_DATA "${PTK_SYSCALLS_ROOT}/data/syscalls.txt")
set(PTK_SYSCALLS_GENERATOR "${PTK_SYSCALLS_ROOT}/tools/gen_syscalls.py")
set(PTK_SYSCALLS_GEN_DIR "${CMAKE_CURRENT_BINARY_DIR}/generated")

if(NOT Python3_EXECUTABLE)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
endif()

find_file(PTK_UNISTD_64_H NAMES x86_64-linux-gnu/asm/unistd_64.h asm/unistd_64.h
  PATHS /usr/include REQUIRED DOC "Kernel header with the x86_64 __NR_* numbers")
find_file(PTK_UNISTD_32_H NAMES x86_64-linux-gnu/asm/unistd_32.h asm/unistd_32.h
  PATHS /usr/include REQUIRED DOC "Kernel header with the i386 __NR_* numbers")
find_file(PTK_UNISTD_GENERIC_H NAMES asm-generic/unistd.h
  PATHS /usr/include REQUIRED DOC "Kernel header with the generic __NR_* numbers aarch64 uses")
# Optional: the arm64 header (linux-libc-dev:arm64, or an aarch64 host), whose __ARCH_WANT_*
# macros the generator compares with its own list.
find_file(PTK_UNISTD_AARCH64_H NAMES aarch64-linux-gnu/asm/unistd.h
  PATHS /usr/include DOC "The arm64 asm/unistd.h (optional)")
set(PTK_UNISTD_AARCH64_ARGS)
set(PTK_UNISTD_AARCH64_DEP)
if(PTK_UNISTD_AARCH64_H)
  set(PTK_UNISTD_AARCH64_ARGS --unistd-aarch64 "${PTK_UNISTD_AARCH64_H}")
  set(PTK_UNISTD_AARCH64_DEP "${PTK_UNISTD_AARCH64_H}")
endif()

set(PTK_SYSCALLS_OUTPUTS
  "${PTK_SYSCALLS_GEN_DIR}/syscall_table_x86_64.inc"
  "${PTK_SYSCALLS_GEN_DIR}/syscall_table_i386.inc"
  "${PTK_SYSCALLS_GEN_DIR}/syscall_table_aarch64.inc"
  "${PTK_SYSCALLS_GEN_DIR}/syscall_check_x86_64.cpp"
  "${PTK_SYSCALLS_GEN_DIR}/syscall_check_i386.cpp"
  "${PTK_SYSCALLS_GEN_DIR}/syscall_check_aarch64.cpp")

# The generator rewrites an output only when its content changes; Ninja's restat then skips
# recompiling what includes it.
add_custom_command(
  OUTPUT ${PTK_SYSCALLS_OUTPUTS}
  COMMAND "${Python3_EXECUTABLE}" "${PTK_SYSCALLS_GENERATOR}"
    --data "${PTK_SYSCALLS_DATA}"
    --unistd64 "${PTK_UNISTD_64_H}"
    --unistd32 "${PTK_UNISTD_32_H}"
    --cpp "${CMAKE_CXX_COMPILER}"
    ${PTK_UNISTD_AARCH64_ARGS}
    --out-dir "${PTK_SYSCALLS_GEN_DIR}"
  DEPENDS "${PTK_SYSCALLS_DATA}" "${PTK_SYSCALLS_GENERATOR}" "${PTK_UNISTD_64_H}"
    "${PTK_UNISTD_32_H}" "${PTK_UNISTD_GENERIC_H}" ${PTK_UNISTD_AARCH64_DEP}
  COMMENT "Generating syscall tables from data/syscalls.txt"
  VERBATIM)

# The check TUs hold only static_asserts; compiling them as part of ptk_arch is the check.
target_sources(ptk_arch PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/syscalls.cpp
  ${PTK_SYSCALLS_OUTPUTS})
target_include_directories(ptk_arch PRIVATE "${PTK_SYSCALLS_GEN_DIR}")
