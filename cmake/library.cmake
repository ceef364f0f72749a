# ptk::ptk, the one library a user links, and ptk::base ... ptk::engine, the layers for those
# who want less. The same names in the build tree (these aliases, e.g. for add_subdirectory)
# and in the installed CMake package (EXPORT_NAME, cmake/install.cmake).
#
# Why static archives under an INTERFACE target, not a shared libptk with a SONAME:
# - the ptk tool links the layers statically (with -static-libstdc++, src/cli/CMakeLists.txt):
#   its start-up cost and resident memory are measured (bench/README.md); a shared libptk would
#   either be loaded by the tool or need every file compiled a second time with -fPIC;
# - the C++ API is at 0.x with no ABI promise: a SONAME would change with every release, which
#   the CMake package's version check (same minor version) already says for a static build;
# - a program links only the objects it uses, so it needs libdw, libelf and libseccomp only
#   for the parts it calls (the link line names them all, the linker drops the rest).
set(PTK_LAYERS ptk_base ptk_arch ptk_core ptk_sys ptk_debug ptk_tamper ptk_bpf ptk_inject ptk_engine)

add_library(ptk_library INTERFACE)
# The engine sits on top of the others (engine -> tamper, inject -> debug -> sys -> core -> arch
# -> base); the eBPF backend (bpf -> sys) beside it.
target_link_libraries(ptk_library INTERFACE ptk_engine ptk_bpf)
set_target_properties(ptk_library PROPERTIES EXPORT_NAME ptk)
add_library(ptk::ptk ALIAS ptk_library)

foreach(layer IN LISTS PTK_LAYERS)
  string(REPLACE "ptk_" "" short ${layer})
  set_target_properties(${layer} PROPERTIES EXPORT_NAME ${short})
  add_library(ptk::${short} ALIAS ${layer})
endforeach()
