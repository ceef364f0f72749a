// Internal: one ELF object opened with libelf (a file, or an image read from tracee memory such
// as the vDSO), and what the symbol table takes from it. 32- and 64-bit objects alike: every
// read goes through gelf, which widens Elf32 structures to the Elf64 ones.
#pragma once

#include <gelf.h>
#include <libelf.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ptk/arch/arch.h"
#include "ptk/base/result.h"
#include "ptk/base/unique_fd.h"
#include "ptk/debug/symbols.h"

namespace ptk::debug::detail {

class ElfImage {
 public:
  ElfImage() = default;
  ElfImage(ElfImage&& other) noexcept;
  ElfImage& operator=(ElfImage&& other) noexcept;
  ElfImage(const ElfImage&) = delete;
  ElfImage& operator=(const ElfImage&) = delete;
  ~ElfImage();

  // NotFound when the file cannot be opened, InvalidArgument when it is not an ELF file.
  static Result<ElfImage> open_file(const std::string& path);
  static Result<ElfImage> from_memory(std::vector<std::byte> bytes, const std::string& what);

  Elf* get() const { return elf_; }
  bool valid() const { return elf_ != nullptr; }

 private:
  UniqueFd fd_;
  std::vector<std::byte> bytes_;  // the image of from_memory: libelf reads it in place
  Elf* elf_ = nullptr;
};

// The ABI of an ELF object, by its machine (EM_X86_64, EM_386, EM_AARCH64).
std::optional<Arch> elf_arch(Elf* elf);

// The load bias of an object one of whose mappings starts at `map_start` with file offset
// `map_offset`: the PT_LOAD segment holding that offset tells which ELF address it maps.
std::optional<std::uint64_t> load_bias(Elf* elf, std::uint64_t map_start, std::uint64_t map_offset);

// The symbols of .symtab and .dynsym (defined ones only), moved by `bias`.
void read_symbols(Elf* elf, std::uint64_t bias, std::vector<Symbol>& out);
// "name@plt" for each PLT entry of .rela.plt / .rel.plt, where the layout is the usual one.
void read_plt_symbols(Elf* elf, std::uint64_t bias, std::vector<Symbol>& out);

// The separate debug file of an object, from its build id, if one is installed
// (/usr/lib/debug/.build-id/xx/yyyy.debug).
std::optional<std::string> debug_file_of(Elf* elf);

// Whether the object has DWARF (a .debug_info or .debug_line section with contents).
bool has_dwarf(Elf* elf);

}  // namespace ptk::debug::detail
