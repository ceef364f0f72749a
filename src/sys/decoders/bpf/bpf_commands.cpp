// The bpf(2) commands strace prints from their fields alone: offsets of linux/bpf.h's union
// bpf_attr by command, and the fields each kernel version added (cut: shown only when the
// caller's size reaches them).
#include <array>

#include "bpf.h"

namespace ptk::sys::bpf {
namespace {

using K = Kind;

constexpr Field kMapCreate[] = {
    {"map_type", 0, K::XVal32, false, "bpf_map_types", "BPF_MAP_TYPE_???"},
    {"key_size", 4, K::U32},
    {"value_size", 8, K::U32},
    {"max_entries", 12, K::U32},
    {"map_flags", 16, K::Flags32, true, "bpf_map_flags", "BPF_F_???"},  // Linux 4.6
    {"inner_map_fd", 20, K::Fd, true},                                  // 4.12
    {"numa_node", 24, K::NumaNode, true},                               // 4.14
    {"map_name", 28, K::Name, true},                                    // 4.15
    {"map_ifindex", 44, K::Ifindex, true},
    {"btf_fd", 48, K::Fd, true},  // 4.18
    {"btf_key_type_id", 52, K::U32},
    {"btf_value_type_id", 56, K::U32},
    {"btf_vmlinux_value_type_id", 60, K::U32, true},  // 5.6
    {"map_extra", 64, K::U64, true},                  // 5.16
};

constexpr Field kLookupElem[] = {
    {"map_fd", 0, K::Fd},
    {"key", 8, K::Addr},
    {"value", 16, K::Addr},
    {"flags", 24, K::Flags64, true, "bpf_map_lookup_elem_flags", "BPF_???"},  // 5.1
};

constexpr Field kUpdateElem[] = {
    {"map_fd", 0, K::Fd},
    {"key", 8, K::Addr},
    {"value", 16, K::Addr},
    {"flags", 24, K::XVal64, false, "bpf_map_update_elem_flags", "BPF_???"},
};

constexpr Field kDeleteElem[] = {{"map_fd", 0, K::Fd}, {"key", 8, K::Addr}};

constexpr Field kGetNextKey[] = {
    {"map_fd", 0, K::Fd}, {"key", 8, K::Addr}, {"next_key", 16, K::Addr}};

constexpr Field kMapFd[] = {{"map_fd", 0, K::Fd}};

constexpr Field kProgLoad[] = {
    {"prog_type", 0, K::XVal32, false, "bpf_prog_types", "BPF_PROG_TYPE_???"},
    {"insn_cnt", 4, K::U32},
    {"insns", 8, K::Insns, false, {}, {}, 4},
    {"license", 16, K::Str},
    {"log_level", 24, K::U32, true},  // 3.18
    {"log_size", 28, K::U32},
    {"log_buf", 32, K::StrN, false, {}, {}, 28},
    {"kern_version", 40, K::KVersion, true},                              // 4.1
    {"prog_flags", 44, K::Flags32, true, "bpf_prog_flags", "BPF_F_???"},  // 4.12
    {"prog_name", 48, K::Name, true},                                     // 4.15
    {"prog_ifindex", 64, K::Ifindex, true},
    {"expected_attach_type", 68, K::XVal32, true, "bpf_attach_type", "BPF_???"},  // 4.17
    {"prog_btf_fd", 72, K::Fd, true},                                             // 5.0
    {"func_info_rec_size", 76, K::U32},
    {"func_info", 80, K::Addr},
    {"func_info_cnt", 88, K::U32},
    {"line_info_rec_size", 92, K::U32},
    {"line_info", 96, K::Addr},
    {"line_info_cnt", 104, K::U32},
    {"attach_btf_id", 108, K::U32, true},  // 5.5
    {"attach_prog_fd", 112, K::Fd, true},
    {"fd_array", 120, K::Addr, true},  // 5.14
};

constexpr Field kObjPin[] = {
    {"pathname", 0, K::Path},
    {"bpf_fd", 8, K::Fd},
    {"file_flags", 12, K::Flags32, true, "bpf_file_mode_flags", "BPF_F_???"},  // 4.15
};

constexpr Field kProgAttach[] = {
    {"target_fd", 0, K::Fd},
    {"attach_bpf_fd", 4, K::Fd},
    {"attach_type", 8, K::XVal32, false, "bpf_attach_type", "BPF_???"},
    {"attach_flags", 12, K::Flags32, false, "bpf_attach_flags", "BPF_F_???"},
    {"replace_bpf_fd", 16, K::Fd, true},  // 5.6
};

constexpr Field kProgDetach[] = {
    {"target_fd", 0, K::Fd},
    {"attach_type", 8, K::XVal32, false, "bpf_attach_type", "BPF_???"},
};

constexpr Field kTestRun[] = {
    {"prog_fd", 0, K::Fd},
    {"retval", 4, K::U32},
    {"data_size_in", 8, K::U32},
    {"data_size_out", 12, K::U32},
    {"data_in", 16, K::Addr},
    {"data_out", 24, K::Addr},
    {"repeat", 32, K::U32},
    {"duration", 36, K::U32},
    {"ctx_size_in", 40, K::U32, true},  // 5.2
    {"ctx_size_out", 44, K::U32},
    {"ctx_in", 48, K::Addr},
    {"ctx_out", 56, K::Addr},
    {"flags", 64, K::Flags32, true, "bpf_test_run_flags", "BPF_F_???"},  // 5.10
    {"cpu", 68, K::U32},
    {"batch_size", 72, K::U32, true},  // 5.18
};

constexpr Field kProgGetFdById[] = {
    {"prog_id", 0, K::U32},
    {"next_id", 4, K::U32},
    {"open_flags", 8, K::Flags32, true, "bpf_file_mode_flags", "BPF_F_???"},  // 4.15
};

constexpr Field kMapGetFdById[] = {
    {"map_id", 0, K::U32},
    {"next_id", 4, K::U32},
    {"open_flags", 8, K::Flags32, true, "bpf_file_mode_flags", "BPF_F_???"},
};

constexpr Field kRawTracepoint[] = {
    {"name", 0, K::StrN, false, {}, {}, 0xffff},  // at most 128 bytes: bpf_fields.cpp
    {"prog_fd", 8, K::Fd},
};

constexpr Field kBtfLoad[] = {
    {"btf", 0, K::Buf, false, {}, {}, 16}, {"btf_log_buf", 8, K::Addr},   {"btf_size", 16, K::U32},
    {"btf_log_size", 20, K::U32},          {"btf_log_level", 24, K::U32},
};

constexpr Field kBtfId[] = {{"btf_id", 0, K::U32}};
constexpr Field kLinkId[] = {{"link_id", 0, K::U32}};

struct Entry {
  std::uint32_t cmd;
  Layout layout;
};

// Command numbers of linux/bpf.h.
constexpr Entry kLayouts[] = {
    {0, {kMapCreate, 72}},
    {1, {kLookupElem, 32}},
    {2, {kUpdateElem, 32}},
    {3, {kDeleteElem, 16}},
    {4, {kGetNextKey, 24}},
    {5, {kProgLoad, 128}},
    {6, {kObjPin, 16}},
    {7, {kObjPin, 16}},  // BPF_OBJ_GET
    {8, {kProgAttach, 20}},
    {9, {kProgDetach, 12}},
    {10, {kTestRun, 76, "test"}},
    {13, {kProgGetFdById, 12}},
    {14, {kMapGetFdById, 12}},
    {17, {kRawTracepoint, 12, "raw_tracepoint"}},
    {18, {kBtfLoad, 28}},
    {19, {kBtfId, 4}},
    {21, {kLookupElem, 32}},  // BPF_MAP_LOOKUP_AND_DELETE_ELEM
    {22, {kMapFd, 4}},        // BPF_MAP_FREEZE
    {30, {kLinkId, 4}},       // BPF_LINK_GET_FD_BY_ID
};

}  // namespace

const Layout* simple_layout(std::uint32_t cmd) {
  for (const Entry& e : kLayouts) {
    if (e.cmd == cmd) return &e.layout;
  }
  return nullptr;
}

bool returns_fd(std::uint32_t cmd) {
  // MAP_CREATE, PROG_LOAD, OBJ_PIN, OBJ_GET, PROG/MAP_GET_FD_BY_ID, BTF_LOAD,
  // BTF_GET_FD_BY_ID, LINK_CREATE, LINK_GET_FD_BY_ID.
  static constexpr std::array<std::uint32_t, 10> kFdCmds = {0, 5, 6, 7, 13, 14, 18, 19, 28, 30};
  for (std::uint32_t c : kFdCmds) {
    if (c == cmd) return true;
  }
  return false;
}

}  // namespace ptk::sys::bpf
