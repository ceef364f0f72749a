// Classic BPF programs (struct sock_fprog) as strace prints them: {len=N, filter=[...]} with
// each instruction as the BPF_STMT/BPF_JUMP macro that builds it, spelled per -X, for seccomp
// filters (their return values are SECCOMP_RET_* actions) and socket filters (their loads may
// name SKF_*_OFF areas).
#pragma once

#include <cstdint>
#include <functional>

#include "ptk/sys/decode.h"

namespace ptk::sys::bpf {

enum class FilterKind { Seccomp, Socket };

// The instructions at addr: the address without -v, else the array (at most BPF_MAXINSNS).
void print_fprog_filter(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len, FilterKind kind);
// struct sock_fprog at addr: {len=N, filter=...}, the address when unreadable.
void print_sock_fprog_struct(DecodeCtx& ctx, std::uint64_t addr, FilterKind kind);
// An array of BPF instructions (8 bytes each, classic or eBPF) as strace's print_array with -v:
// no limit but BPF_MAXINSNS ("..." past it).
void insn_array(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t n, std::size_t elem_size,
                const std::function<void(const unsigned char*)>& print);
// An eBPF opcode (struct bpf_insn's code), spelled per -X.
void ebpf_code(TokenList& o, std::uint8_t code);

}  // namespace ptk::sys::bpf
