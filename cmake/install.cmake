# What `cmake --install` (and the .deb, cmake/package.cmake) puts under the prefix, with the
# GNUInstallDirs paths:
#   bin/ptk                                the tool
#   lib/libptk_*.a                         the library's layers (cmake/library.cmake says why
#                                          static)
#   include/ptk/...                        the public headers
#   lib/cmake/ptk/ptk{Config,ConfigVersion,Targets*}.cmake   find_package(ptk CONFIG)
#   lib/pkgconfig/ptk.pc                   pkg-config --cflags --libs ptk
#   share/doc/ptk/                         README.md and docs/*.md
# ptk reads no data file at run time: its syscall and flag tables are compiled in. Other parts
# add plain install() rules of their own next to their sources, with the same variables (e.g.
# DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 for man pages, ${CMAKE_INSTALL_DATADIR}/bash-completion/
# completions for a bash completion); the .deb picks up whatever is installed.
include(CMakePackageConfigHelpers)

install(TARGETS ptk RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ${PTK_LAYERS} ptk_library EXPORT ptkTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ptk DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# The CMake package. The exported targets name fmt::fmt and the PkgConfig::PTK_* targets of
# src/sys, src/debug and src/bpf: ptkConfig.cmake finds them again on the user's machine.
set(PTK_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/ptk)
install(EXPORT ptkTargets NAMESPACE ptk:: DESTINATION ${PTK_CMAKE_INSTALL_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/ptkConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/ptkConfig.cmake
                              INSTALL_DESTINATION ${PTK_CMAKE_INSTALL_DIR})
# 0.x: a minor release may change the API, so only the same major.minor satisfies a request.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ptkConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/ptkConfig.cmake ${PROJECT_BINARY_DIR}/ptkConfigVersion.cmake
        DESTINATION ${PTK_CMAKE_INSTALL_DIR})

# The pkg-config file. Its prefix is found from the file's own place (${pcfiledir}), so it serves
# `cmake --install --prefix ANYWHERE`; the .deb's copy names /usr (cmake/cpack_pc_prefix.cmake).
set(PTK_PC_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  # Directories set absolute by hand do not move with the prefix: named as they are.
  set(PTK_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(PTK_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(PTK_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH PTK_PC_UP /root/${PTK_PC_INSTALL_DIR} /root)
  string(REGEX REPLACE "/$" "" PTK_PC_UP "${PTK_PC_UP}")
  set(PTK_PC_PREFIX "\${pcfiledir}/${PTK_PC_UP}")
  set(PTK_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(PTK_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
# The archives in link order, each before the layers it uses.
set(PTK_PC_LIBS "")
foreach(layer ptk_engine ptk_bpf ptk_inject ptk_tamper ptk_debug ptk_sys ptk_core ptk_arch ptk_base)
  get_target_property(type ${layer} TYPE)
  if(type STREQUAL "STATIC_LIBRARY")  # a layer without sources yet is an INTERFACE target
    string(APPEND PTK_PC_LIBS " -l${layer}")
  endif()
endforeach()
set(PTK_PC_DL "")
if(CMAKE_DL_LIBS)
  set(PTK_PC_DL "-l${CMAKE_DL_LIBS}")  # ptk_debug loads capstone with dlopen on first use
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/ptk.pc.in ${PROJECT_BINARY_DIR}/ptk.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/ptk.pc DESTINATION ${PTK_PC_INSTALL_DIR})

# README.md and docs/ keep their places relative to each other, so that the README's links
# (docs/trace.md, ...) resolve in the installed copy too.
file(GLOB PTK_DOCS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PTK_DOCS} DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
