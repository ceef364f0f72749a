# Run by cpack (CPACK_PRE_BUILD_SCRIPTS, cmake/package.cmake) on the staged files: the package's
# ptk.pc names its prefix (/usr) instead of finding it from its own place, so pkg-config prints
# what distribution packages print (no -I/usr/include, no -L/usr/lib/pkgconfig/../../lib).
file(GLOB_RECURSE ptk_pc_files "${CPACK_TEMPORARY_DIRECTORY}/ptk.pc")
if(NOT ptk_pc_files)
  message(FATAL_ERROR "cpack_pc_prefix: no ptk.pc under ${CPACK_TEMPORARY_DIRECTORY}")
endif()
foreach(pc IN LISTS ptk_pc_files)
  file(READ "${pc}" text)
  string(REGEX REPLACE "\nprefix=[^\n]*" "\nprefix=${CPACK_PACKAGING_INSTALL_PREFIX}" text "${text}")
  file(WRITE "${pc}" "${text}")
endforeach()
