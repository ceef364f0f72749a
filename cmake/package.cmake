# The Debian package: `cpack -G DEB` in a built tree writes ptk_VERSION_ARCH.deb with everything
# the install rules install (cmake/install.cmake and the rules next to other parts), under /usr.
set(CPACK_PACKAGE_NAME ptk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "ptrace toolkit: strace-compatible tracer, debugger and C++ library")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)

if(NOT CPACK_DEBIAN_PACKAGE_MAINTAINER)
  set(CPACK_DEBIAN_PACKAGE_MAINTAINER
      "ptk maintainers <maintainers@users.noreply.r-seed-5135730c.example>")
endif()
# The long description (CPack puts the summary above it and indents it as Debian's control format
# wants).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "ptk traces system calls as strace does, with strace's output and options, and adds
breakpoints, single-stepping, call tracing, syscall tampering and code injection, all from
one command: ptk trace, break, calls, step, inject, regs, mem, maps, bt.

The C++20 library under the tool comes with it: headers, static archives, a CMake package
(find_package(ptk)) and a pkg-config file (ptk.pc).")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # ptk_0.1.0_amd64.deb
# Depends from the shared libraries the binaries link (dpkg-shlibdeps)...
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# ...plus capstone, which ptk loads with dlopen (src/debug/capstone_lazy.cpp) where shlibdeps
# cannot see it: step, break and calls disassemble with it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcapstone5 | libcapstone4")
# Building a program on the library needs the development files of what the archives use.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libfmt-dev, libseccomp-dev, libdw-dev, libelf-dev, pkg-config")
# The binary stripped as Debian ships binaries (CMake never strips a static archive: its symbols
# are what a link needs).
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/cpack_pc_prefix.cmake)

include(CPack)
