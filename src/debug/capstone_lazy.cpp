// capstone, loaded on first use. Linked the usual way, libcapstone costs every ptk command about
// 3 MB of resident memory before main() (its tables are full of pointers that the dynamic
// loader relocates at start-up, dirtying each page), while only disassembly and breakpoint
// planning use it: `ptk trace` then weighed 2.6x strace. So ptk_debug does not link it: these
// definitions of the few capstone functions ptk calls (declared by <capstone/capstone.h>, so the
// signatures are checked) load the library with dlopen at the first call and forward to it.
#include <capstone/capstone.h>
#include <dlfcn.h>

#include <array>
#include <string>

namespace {

struct Library {
  void* handle = nullptr;
  std::string error;
};

const Library& library() {
  static const Library lib = [] {
    Library l;
    // The SONAME of capstone 5, 4 (Debian 12), then the development link.
    for (const char* name : {"libcapstone.so.5", "libcapstone.so.4", "libcapstone.so"}) {
      l.handle = ::dlopen(name, RTLD_NOW | RTLD_LOCAL);
      if (l.handle != nullptr) return l;
    }
    const char* why = ::dlerror();
    l.error = std::string("cannot load capstone (") + (why != nullptr ? why : "?") +
              "); install the libcapstone4 package";
    return l;
  }();
  return lib;
}

// The library's own definition of `name` (dlsym on its handle never finds these forwarders).
template <typename Fn>
Fn* real(const char* name) {
  void* handle = library().handle;
  return handle != nullptr ? reinterpret_cast<Fn*>(::dlsym(handle, name)) : nullptr;
}

}  // namespace

extern "C" {

cs_err cs_open(cs_arch arch, cs_mode mode, csh* handle) {
  static auto* fn = real<decltype(cs_open)>("cs_open");
  // CS_ERR_MEM: cs_strerror() then tells why the library is missing.
  return fn != nullptr ? fn(arch, mode, handle) : CS_ERR_MEM;
}

const char* cs_strerror(cs_err code) {
  static auto* fn = real<decltype(cs_strerror)>("cs_strerror");
  return fn != nullptr ? fn(code) : library().error.c_str();
}

// The rest is only reached with a handle from a successful cs_open: the library is there.
cs_err cs_close(csh* handle) {
  static auto* fn = real<decltype(cs_close)>("cs_close");
  return fn(handle);
}

cs_err cs_option(csh handle, cs_opt_type type, size_t value) {
  static auto* fn = real<decltype(cs_option)>("cs_option");
  return fn(handle, type, value);
}

cs_insn* cs_malloc(csh handle) {
  static auto* fn = real<decltype(cs_malloc)>("cs_malloc");
  return fn(handle);
}

void cs_free(cs_insn* insn, size_t count) {
  static auto* fn = real<decltype(cs_free)>("cs_free");
  fn(insn, count);
}

bool cs_disasm_iter(csh handle, const uint8_t** code, size_t* size, uint64_t* address,
                    cs_insn* insn) {
  static auto* fn = real<decltype(cs_disasm_iter)>("cs_disasm_iter");
  return fn(handle, code, size, address, insn);
}

bool cs_insn_group(csh handle, const cs_insn* insn, unsigned int group_id) {
  static auto* fn = real<decltype(cs_insn_group)>("cs_insn_group");
  return fn(handle, insn, group_id);
}

}  // extern "C"
