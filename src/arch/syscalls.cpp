// Lookups over the syscall tables that tools/gen_syscalls.py generates from data/syscalls.txt.
#include "ptk/arch/syscalls.h"

#include <algorithm>
#include <cstddef>
#include <utility>

namespace ptk {
namespace {

// The generated files define k<Abi>Specs/ByNr/ByName for X86_64, I386 and Aarch64.
#include "syscall_table_aarch64.inc"
#include "syscall_table_i386.inc"
#include "syscall_table_x86_64.inc"

struct Table {
  std::span<const SyscallSpec> specs;      // sorted by number
  std::span<const std::int16_t> by_nr;     // number -> index into specs, -1 when unused
  std::span<const std::uint16_t> by_name;  // indexes into specs in name order
};

// Indexed by Arch; the static_asserts fail when an ABI is added without a table here.
constexpr std::array<Table, kArchCount> kTables = {{
    {kX86_64Specs, kX86_64ByNr, kX86_64ByName},
    {kI386Specs, kI386ByNr, kI386ByName},
    {kAarch64Specs, kAarch64ByNr, kAarch64ByName},
}};
static_assert(kTables.size() == kKnownArches.size());
static_assert(static_cast<std::size_t>(Arch::X86_64) == 0);
static_assert(static_cast<std::size_t>(Arch::I386) == 1);
static_assert(static_cast<std::size_t>(Arch::Aarch64) == 2);

const Table& table(Arch arch) { return kTables[static_cast<std::size_t>(arch)]; }

struct ClassName {
  std::string_view name;
  std::uint32_t bit;
};

// Spelled as in strace's -e trace=%class; "net" is strace's alias, the *_like names are the data
// file's spelling of %%stat and %%statfs.
constexpr ClassName kClassNames[] = {
    {"file", kClassFile},
    {"desc", kClassDesc},
    {"network", kClassNetwork},
    {"net", kClassNetwork},
    {"process", kClassProcess},
    {"memory", kClassMemory},
    {"signal", kClassSignal},
    {"ipc", kClassIpc},
    {"creds", kClassCreds},
    {"clock", kClassClock},
    {"stat", kClassStat},
    {"lstat", kClassLstat},
    {"fstat", kClassFstat},
    {"stat_like", kClassStatLike},
    {"statfs", kClassStatfs},
    {"fstatfs", kClassFstatfs},
    {"statfs_like", kClassStatfsLike},
    {"pure", kClassPure},
};

std::uint32_t plain_class(std::string_view name) {
  for (const ClassName& c : kClassNames) {
    if (c.name == name) return c.bit;
  }
  return 0;
}

}  // namespace

std::span<const SyscallSpec> syscall_table(Arch arch) { return table(arch).specs; }

const SyscallSpec* find_syscall(Arch arch, std::int64_t nr) {
  const Table& t = table(arch);
  if (nr < 0 || std::cmp_greater_equal(nr, t.by_nr.size())) return nullptr;
  const std::int16_t index = t.by_nr[static_cast<std::size_t>(nr)];
  return index < 0 ? nullptr : &t.specs[static_cast<std::size_t>(index)];
}

const SyscallSpec* find_syscall(Arch arch, std::string_view name) {
  const Table& t = table(arch);
  const auto it = std::lower_bound(
      t.by_name.begin(), t.by_name.end(), name,
      [&t](std::uint16_t index, std::string_view key) { return t.specs[index].name < key; });
  if (it == t.by_name.end() || t.specs[*it].name != name) return nullptr;
  return &t.specs[*it];
}

std::uint32_t syscall_class_from_name(std::string_view name) {
  // strace spells the two "like" classes with a doubled %: %%stat, %%statfs.
  if (name.starts_with("%%")) {
    name.remove_prefix(2);
    if (name == "stat") return kClassStatLike;
    if (name == "statfs") return kClassStatfsLike;
    return 0;
  }
  if (name.starts_with('%')) name.remove_prefix(1);
  return plain_class(name);
}

}  // namespace ptk
