// 0xae requests: KVM's system, VM and vCPU descriptors (linux/kvm.h), the x86 register
// layouts. Without -v the register sets and CPUID tables are abbreviated as strace does.
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {
namespace {

enum Request : std::uint32_t {
  kCreateVm = 0xae01,
  kCheckExtension = 0xae03,
  kCreateVcpu = 0xae41,
  kRun = 0xae80,
  kSetUserMemoryRegion = 0x4020ae46,
  kGetRegs = 0x8090ae81,
  kSetRegs = 0x4090ae82,
  kGetSregs = 0x8138ae83,
  kSetSregs = 0x4138ae84,
  kSetCpuid2 = 0x4008ae90,
  kGetSupportedCpuid = 0xc008ae05,
  kGetEmulatedCpuid = 0xc008ae09,
};

template <typename T>
T load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

Res memory_region(DecodeCtx& ctx, std::uint64_t arg) {
  ctx.arg(2);
  unsigned char b[32];
  if (!fetch(ctx, arg, b, sizeof b)) return Res::Done;
  TokenList& o = ctx.out();
  o.begin_struct();
  field_u(o, "slot", load<std::uint32_t>(b));
  o.field("flags");
  flags(o, "kvm_mem_flags", load<std::uint32_t>(b + 4), "KVM_MEM_???");
  field_x(o, "guest_phys_addr", load<std::uint64_t>(b + 8));
  field_u(o, "memory_size", load<std::uint64_t>(b + 16));
  field_x(o, "userspace_addr", load<std::uint64_t>(b + 24));
  o.end_struct();
  return Res::Done;
}

// struct kvm_regs: rax..rflags, 18 u64; without -v only rax, rsp, rbp, rip and rflags.
Res regs(DecodeCtx& ctx, bool get, std::uint64_t arg) {
  if (get && ctx.entering()) return Res::Exit;
  ctx.arg(2);
  std::uint64_t r[18];
  if (!fetch(ctx, arg, r)) return Res::Done;
  static constexpr std::string_view kNames[] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi",
                                                "rsp", "rbp", "r8",  "r9",  "r10", "r11",
                                                "r12", "r13", "r14", "r15", "rip", "rflags"};
  bool full = ctx.options().verbose;
  TokenList& o = ctx.out();
  o.begin_struct();
  for (std::size_t i = 0; i < 18; ++i) {
    // The abbreviated view stands rbx..rdi and r8..r15 for "...".
    if (!full && ((i >= 1 && i <= 5) || (i >= 8 && i <= 15))) {
      if (i == 1 || i == 8) o.raw("...");
      continue;
    }
    field_x(o, kNames[i], r[i]);
  }
  o.end_struct();
  return Res::Done;
}

// struct kvm_segment (24 bytes) and struct kvm_dtable (16 bytes).
void segment(TokenList& o, const unsigned char* p) {
  static constexpr std::string_view kFlags[] = {"present", "dpl", "db", "s", "l", "g", "avl"};
  o.begin_struct();
  field_x(o, "base", load<std::uint64_t>(p));
  field_u(o, "limit", load<std::uint32_t>(p + 8));
  field_u(o, "selector", load<std::uint16_t>(p + 12));
  field_u(o, "type", p[14]);
  for (std::size_t i = 0; i < 7; ++i) field_u(o, kFlags[i], p[15 + i]);
  o.end_struct();
}

void dtable(TokenList& o, const unsigned char* p) {
  o.begin_struct();
  field_x(o, "base", load<std::uint64_t>(p));
  field_u(o, "limit", load<std::uint16_t>(p + 8));
  o.end_struct();
}

// struct kvm_sregs (312 bytes); without -v only cs.
Res sregs(DecodeCtx& ctx, bool get, std::uint64_t arg) {
  if (get && ctx.entering()) return Res::Exit;
  ctx.arg(2);
  unsigned char b[312];
  if (!fetch(ctx, arg, b, sizeof b)) return Res::Done;
  static constexpr std::string_view kSegments[] = {"cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt"};
  static constexpr std::string_view kControl[] = {"cr0", "cr2", "cr3", "cr4", "cr8", "efer"};
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("cs");
  segment(o, b);
  if (!ctx.options().verbose) {
    o.end_struct(true);
    return Res::Done;
  }
  for (std::size_t i = 1; i < 8; ++i) {
    o.field(kSegments[i]);
    segment(o, b + 24 * i);
  }
  o.field("gdt");
  dtable(o, b + 192);
  o.field("idt");
  dtable(o, b + 208);
  for (std::size_t i = 0; i < 6; ++i) field_u(o, kControl[i], load<std::uint64_t>(b + 224 + 8 * i));
  field_x(o, "apic_base", load<std::uint64_t>(b + 272));
  o.field("interrupt_bitmap");
  o.begin_array();
  for (std::size_t i = 0; i < 4; ++i) o.hex(load<std::uint64_t>(b + 280 + 8 * i));
  o.end_array();
  o.end_struct();
  return Res::Done;
}

// struct kvm_cpuid2 {u32 nent, padding; struct kvm_cpuid_entry2 entries[]}; the entries
// (40 bytes each) only with -v.
Res cpuid2(DecodeCtx& ctx, bool get, std::uint64_t arg) {
  if (get && ctx.entering()) return Res::Exit;
  ctx.arg(2);
  std::uint32_t head[2];
  if (!fetch(ctx, arg, head)) return Res::Done;
  TokenList& o = ctx.out();
  o.begin_struct();
  field_u(o, "nent", head[0]);
  o.field("entries");
  if (!ctx.options().verbose) {
    o.begin_array();
    o.end_array(head[0] != 0);
  } else {
    desc::array(ctx, arg + 8, head[0], 40, [&](const unsigned char* p) {
      o.begin_struct();
      field_x(o, "function", load<std::uint32_t>(p));
      field_x(o, "index", load<std::uint32_t>(p + 4));
      o.field("flags");
      flags(o, "kvm_cpuid_flags", load<std::uint32_t>(p + 8), "KVM_CPUID_FLAG_???");
      field_x(o, "eax", load<std::uint32_t>(p + 12));
      field_x(o, "ebx", load<std::uint32_t>(p + 16));
      field_x(o, "ecx", load<std::uint32_t>(p + 20));
      field_x(o, "edx", load<std::uint32_t>(p + 24));
      o.end_struct();
    });
  }
  o.end_struct();
  return Res::Done;
}

// -e kvm=vcpu: why KVM_RUN returned, from the struct kvm_run the tracee maps from the vCPU's
// descriptor (its /proc maps name the mapping after the descriptor's "anon_inode:kvm-vcpu:N").
void exit_reason(DecodeCtx& ctx) {
  pid_t pid = ctx.syscall().pid;
  if (ctx.options().pidns != nullptr) pid = ctx.options().pidns->proc_pid(pid);
  std::string proc = "/proc/" + std::to_string(pid);
  char target[256];
  std::string link = proc + "/fd/" + std::to_string(static_cast<std::int32_t>(ctx.s(0)));
  ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
  if (n <= 0) return;
  std::string_view path(target, static_cast<std::size_t>(n));
  if (!path.starts_with("anon_inode:kvm-vcpu:")) return;
  std::ifstream maps(proc + "/maps");
  std::string line;
  while (std::getline(maps, line)) {
    // start-end perms offset major:minor inode path; an anon inode's device major is 0.
    std::istringstream in(line);
    std::string range, perms, offset, dev, inode, name;
    in >> range >> perms >> offset >> dev >> inode;
    std::getline(in >> std::ws, name);
    if (name != path || !dev.starts_with("00:")) continue;
    std::uint64_t start = std::stoull(range.substr(0, range.find('-')), nullptr, 16);
    std::uint32_t reason = 0;
    // struct kvm_run: two u8 flags and six bytes of padding, then exit_reason.
    if (!ctx.read(start + 8, reason)) return;
    std::string_view reason_name = name_of("kvm_exit_reason", reason);
    ctx.syscall().ret_aux.raw(reason_name.empty() ? std::string_view("KVM_EXIT_???") : reason_name);
    return;
  }
}

}  // namespace

Res kvm(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  switch (code) {
    case kCreateVm:
      ctx.syscall().ret_type = RetType::Fd;  // the VM's descriptor
      return Res::Hex;
    case kCreateVcpu:
      ctx.syscall().ret_type = RetType::Fd;  // the vCPU's descriptor
      ctx.arg(2);
      ctx.out().uint_(static_cast<std::uint32_t>(arg));
      return Res::Done;
    case kRun:
      if (!ctx.options().kvm_vcpu) return Res::Hex;
      if (ctx.entering()) {
        ctx.arg(2);
        ctx.out().hex(arg);
        return Res::Exit;
      }
      if (!ctx.failed()) exit_reason(ctx);
      return Res::Done;
    case kCheckExtension:
      ctx.arg(2);
      val(ctx.out(), "kvm_cap", arg, "KVM_CAP_???");
      return Res::Done;
    case kSetUserMemoryRegion:
      return memory_region(ctx, arg);
    case kGetRegs:
    case kSetRegs:
      return ctx.word_size() == 8 ? regs(ctx, code == kGetRegs, arg) : Res::Hex;
    case kGetSregs:
    case kSetSregs:
      return ctx.word_size() == 8 ? sregs(ctx, code == kGetSregs, arg) : Res::Hex;
    case kSetCpuid2:
    case kGetSupportedCpuid:
    case kGetEmulatedCpuid:
      return cpuid2(ctx, code != kSetCpuid2, arg);
    default:
      return Res::Hex;
  }
}

}  // namespace ptk::sys::ioctl
