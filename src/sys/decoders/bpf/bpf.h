// bpf(2): union bpf_attr printed by command as strace does, with only the fields of the size
// the caller passed (the kernel's struct grew field by field) and the nonzero bytes past the
// struct strace knows. bpf.cpp dispatches; bpf_fields.cpp prints the field tables of
// bpf_commands.cpp; bpf_exit.cpp has the commands the kernel writes back, bpf_info.cpp the
// map and program info of BPF_OBJ_GET_INFO_BY_FD.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "ptk/sys/decode.h"

namespace ptk::sys::bpf {

// Bytes read from the tracee, zero past what was read (a short attr reads as zeros, as the
// kernel's copy does).
struct Bytes {
  std::vector<unsigned char> data;
  std::uint32_t size = 0;  // the caller's size

  template <typename T>
  T get(std::size_t off) const {
    T v{};
    if (off + sizeof v <= data.size()) std::memcpy(&v, data.data() + off, sizeof v);
    return v;
  }
  std::uint32_t u32(std::size_t off) const { return get<std::uint32_t>(off); }
  std::uint64_t u64(std::size_t off) const { return get<std::uint64_t>(off); }
  std::int32_t s32(std::size_t off) const { return get<std::int32_t>(off); }
};

// How a field prints.
enum class Kind : std::uint8_t {
  U32,  // decimal
  U64,
  X32,  // hex
  X64,
  Fd,      // a descriptor (a C int)
  Addr,    // a 64-bit pointer
  XVal32,  // `table`'s name, or hex and the `unknown` note
  XVal64,
  Flags32,  // `table`'s flags
  Flags64,
  Name,      // char[16] as strace's print_quoted_cstring, cut at the caller's size
  Ifindex,   // an interface index: if_nametoindex("lo")
  Str,       // a NUL-terminated string at a 64-bit address
  Path,      // a path at a 64-bit address
  StrN,      // a string at a 64-bit address, of the u32 at offset `aux`, NUL-terminated
  Buf,       // bytes at a 64-bit address, as many as the u32 at offset `aux`
  Insns,     // eBPF instructions (with -v), as many as the u32 at offset `aux`
  KVersion,  // KERNEL_VERSION(a, b, c)
  Id,        // a uid: -1 or decimal
  Dev,       // makedev(major, minor)
  NumaNode,  // BPF_MAP_CREATE's numa_node: only with BPF_F_NUMA_NODE, -1 as NUMA_NO_NODE
};

struct Field {
  std::string_view name;
  std::uint16_t off;
  Kind kind;
  // A field older kernels lack: the struct stops before it when the caller's size does.
  bool cut = false;
  std::string_view table = {};
  std::string_view unknown = {};
  std::uint16_t aux = 0;
};

// A command's struct: its fields, its size (strace's), and the name it is shown under when
// strace nests it ("test={...}").
struct Layout {
  std::span<const Field> fields;
  std::uint16_t size;
  std::string_view wrap = {};
};

// bpf_commands.cpp: the layout of a command printed from its fields alone (nullptr for the
// others), and the commands whose return value is a descriptor.
const Layout* simple_layout(std::uint32_t cmd);
bool returns_fd(std::uint32_t cmd);

// bpf_fields.cpp. Prints fields of `a` (all: to == fields.size()) inside an open struct;
// false when a field cut by the caller's `len` (the smaller of its size and the struct's)
// stopped them.
bool print_fields(DecodeCtx& ctx, const Bytes& a, std::span<const Field> fields, std::size_t len);
// One field.
void print_field(DecodeCtx& ctx, const Bytes& a, const Field& f, std::size_t len);
// The bytes past `known` when any is nonzero: ", ..." without -v (returns true: the caller
// closes its struct with end_struct(true)), else extra_data="\x.." /* bytes K..N */.
bool extra_data(DecodeCtx& ctx, const Bytes& a, std::size_t known);
// eBPF instructions: the address without -v, else the array.
void insns(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t count);

// bpf_exit.cpp: the commands shown at exit, with what the caller passed at entry.
void get_next_id(DecodeCtx& ctx, const Bytes& entry, const Bytes& exit);
void prog_query(DecodeCtx& ctx, const Bytes& entry, const Bytes& exit);
void task_fd_query(DecodeCtx& ctx, const Bytes& entry, const Bytes& exit);
// The batch commands print at entry; at exit " => {batch={count=N}}" when the kernel changed it.
void batch_entry(DecodeCtx& ctx, std::uint32_t cmd, const Bytes& a);
void batch_exit(DecodeCtx& ctx, std::uint32_t entry_count, const Bytes& exit);
// bpf_link.cpp: BPF_LINK_CREATE (by attach type) and BPF_LINK_UPDATE, at entry.
void link_create(DecodeCtx& ctx, const Bytes& a);
void link_update(DecodeCtx& ctx, const Bytes& a);
// bpf_info.cpp: BPF_OBJ_GET_INFO_BY_FD. At entry (with -v) it finds what bpf_fd is (a map,
// a program: the returned kind, 0 for neither) and keeps the info the caller passed; at exit
// it prints the attr with the info the kernel wrote.
int obj_info_entry(DecodeCtx& ctx, const Bytes& attr, Bytes& info);
void obj_info_exit(DecodeCtx& ctx, int kind, const Bytes& entry, const Bytes& exit,
                   const Bytes& info);

// Shared by the printers of what the kernel wrote: "5 => 7" of a u32 (or just 7 when it did not
// change), the same of addresses, and print_array as strace does it at exit (the address when
// the call failed).
void changed_u32(TokenList& o, std::string_view name, std::uint32_t before, std::uint32_t after);
void changed_addr(TokenList& o, std::string_view name, std::uint64_t before, std::uint64_t after);
void exit_array(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t n, std::size_t elem_size,
                const std::function<void(const unsigned char*)>& print);

// Reads `size` bytes at addr into a buffer zero-filled to at least `min_size`.
bool read_bytes(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t size, std::size_t min_size,
                Bytes& out);

}  // namespace ptk::sys::bpf
