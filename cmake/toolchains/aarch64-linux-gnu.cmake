# Cross build for 64-bit Arm Linux on a Debian 12 host (the `aarch64` preset), with the arm64
# builds of the libraries ptk links, installed beside the host's with multiarch
# (`scripts/deps.sh aarch64`). No sysroot: multiarch keeps arm64 libraries in
# /usr/lib/aarch64-linux-gnu and their headers in /usr/include (the arch-specific ones in
# /usr/include/aarch64-linux-gnu), which clang searches for an aarch64-linux-gnu target.
# Its programs run in the aarch64 VM lane (scripts/vm-test.sh --arch aarch64).
#
# The compiler is the host's clang with --target, not Debian's gcc-aarch64-linux-gnu: that one
# conflicts with gcc-multilib, which ptk's own build needs for its 32-bit tracees. clang links
# with binutils-aarch64-linux-gnu's ld and takes libgcc, crt files and libstdc++ from the arm64
# libgcc-12-dev and libstdc++-12-dev, as aarch64 gcc would.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET aarch64-linux-gnu)
set(CMAKE_CXX_COMPILER clang++)
set(CMAKE_CXX_COMPILER_TARGET aarch64-linux-gnu)

# find_package and find_library look in <prefix>/lib/aarch64-linux-gnu (never the host's
# x86_64-linux-gnu), where fmt, GTest and the rest have their arm64 CMake packages. No
# CMAKE_FIND_ROOT_PATH: with multiarch the target's files are under the host's own prefixes.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# The Python module (pybind11) against Debian 12's python3.11: its headers pick pyconfig.h by
# the target architecture (/usr/include/aarch64-linux-gnu/python3.11, libpython3.11-dev:arm64).
# FindPython does not find them by itself when cross-compiling, and pybind11 would name the
# module after the host's interpreter (.cpython-311-x86_64-linux-gnu.so).
set(Python3_EXECUTABLE /usr/bin/python3)
set(Python3_INCLUDE_DIR /usr/include/python3.11)
set(PYTHON_MODULE_EXTENSION .cpython-311-aarch64-linux-gnu.so)

# pkg-config (pkg_check_modules: libdw, libelf, capstone, libseccomp) reads the arm64 .pc files
# only, and the architecture-independent ones.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
