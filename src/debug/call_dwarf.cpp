// Prototypes from DWARF, for functions the built-in table does not know (a program's own
// libraries built with -g). One pass over the compilation units' top-level DIEs.
#include <dwarf.h>
#include <elfutils/libdw.h>

#include <optional>

#include "elf_image.h"
#include "ptk/debug/call_prototypes.h"

namespace ptk::debug {
namespace {

// The ArgType of a DIE's DW_AT_type; nullopt when it does not fit one integer register.
std::optional<ArgType> type_of(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  Dwarf_Die type;
  if (dwarf_attr_integrate(die, DW_AT_type, &attr) == nullptr) return ArgType::Void;
  if (dwarf_formref_die(&attr, &type) == nullptr || dwarf_peel_type(&type, &type) != 0) {
    return std::nullopt;
  }
  Dwarf_Word size = 0, encoding = 0;
  switch (dwarf_tag(&type)) {
    case DW_TAG_pointer_type: {
      Dwarf_Die pointee;
      if (dwarf_attr_integrate(&type, DW_AT_type, &attr) == nullptr ||
          dwarf_formref_die(&attr, &pointee) == nullptr ||
          dwarf_peel_type(&pointee, &pointee) != 0) {
        return ArgType::Ptr;  // void*
      }
      if (dwarf_tag(&pointee) == DW_TAG_subroutine_type) return ArgType::Func;
      if (dwarf_tag(&pointee) == DW_TAG_base_type && dwarf_bytesize(&pointee) == 1 &&
          dwarf_formudata(dwarf_attr(&pointee, DW_AT_encoding, &attr), &encoding) == 0 &&
          (encoding == DW_ATE_signed_char || encoding == DW_ATE_unsigned_char)) {
        return ArgType::String;
      }
      return ArgType::Ptr;
    }
    case DW_TAG_enumeration_type:
      return ArgType::Int;
    case DW_TAG_base_type: {
      int bytes = dwarf_bytesize(&type);
      if (bytes <= 0 || dwarf_formudata(dwarf_attr(&type, DW_AT_encoding, &attr), &encoding) != 0) {
        return std::nullopt;
      }
      size = static_cast<Dwarf_Word>(bytes);
      if (encoding == DW_ATE_signed_char || encoding == DW_ATE_unsigned_char) {
        return size == 1 ? std::optional(ArgType::Char) : std::nullopt;
      }
      if (encoding == DW_ATE_float) {
        if (size == 8) return ArgType::Double;
        if (size == 4) return ArgType::Float;
        return std::nullopt;  // long double: 80-bit, on the stack
      }
      bool is_signed = encoding == DW_ATE_signed;
      if (!is_signed && encoding != DW_ATE_unsigned && encoding != DW_ATE_boolean) {
        return std::nullopt;
      }
      if (size <= 4) return is_signed ? ArgType::Int : ArgType::UInt;
      return is_signed ? ArgType::Long : ArgType::ULong;  // 8 bytes: one word on 64-bit ABIs only
    }
    default:
      return std::nullopt;  // structures, unions, arrays by value
  }
}

std::optional<Prototype> prototype_of(Dwarf_Die* fn) {
  bool flag = false;
  Dwarf_Attribute attr;
  if (dwarf_attr_integrate(fn, DW_AT_external, &attr) == nullptr ||
      dwarf_formflag(&attr, &flag) != 0 || !flag) {
    return std::nullopt;
  }
  // Keyed by the name in the ELF symbol table: for C++ (or an asm label) the linkage name,
  // which DW_AT_name is not ("twice" for "_ZN6plugin5twiceEi"); found through
  // DW_AT_specification for a member defined out of its class.
  const char* name = nullptr;
  if (dwarf_attr_integrate(fn, DW_AT_linkage_name, &attr) != nullptr)
    name = dwarf_formstring(&attr);
  if (name == nullptr) name = dwarf_diename(fn);
  if (name == nullptr || dwarf_hasattr(fn, DW_AT_declaration)) return std::nullopt;
  Prototype p;
  p.name = name;
  auto ret = type_of(fn);
  if (!ret) return std::nullopt;
  p.ret = *ret;
  Dwarf_Die child;
  if (dwarf_child(fn, &child) == 0) {
    do {
      int tag = dwarf_tag(&child);
      if (tag == DW_TAG_unspecified_parameters) p.variadic = true;
      if (tag != DW_TAG_formal_parameter) continue;
      auto t = type_of(&child);
      if (!t || *t == ArgType::Void) return std::nullopt;
      p.args.push_back(*t);
    } while (dwarf_siblingof(&child, &child) == 0);
  }
  p.noreturn = dwarf_hasattr(fn, DW_AT_noreturn);
  return p;
}

// The functions defined among the children of `parent`, and in the namespaces there (a C++
// function defined inside `namespace x { }` is a child of that namespace's DIE).
void collect(Dwarf_Die* parent, std::map<std::string, Prototype, std::less<>>& out) {
  Dwarf_Die die;
  if (dwarf_child(parent, &die) != 0) return;
  do {
    int tag = dwarf_tag(&die);
    if (tag == DW_TAG_namespace) {
      collect(&die, out);
    } else if (tag == DW_TAG_subprogram) {
      if (auto p = prototype_of(&die)) out.emplace(p->name, std::move(*p));
    }
  } while (dwarf_siblingof(&die, &die) == 0);
}

}  // namespace

std::map<std::string, Prototype, std::less<>> dwarf_prototypes(const std::string& path) {
  std::map<std::string, Prototype, std::less<>> out;
  auto image = detail::ElfImage::open_file(path);
  if (!image.ok() || !detail::has_dwarf(image->get())) return out;
  Dwarf* dw = dwarf_begin_elf(image->get(), DWARF_C_READ, nullptr);
  if (dw == nullptr) return out;
  Dwarf_Off off = 0, next = 0;
  std::size_t header = 0;
  while (dwarf_nextcu(dw, off, &next, &header, nullptr, nullptr, nullptr) == 0) {
    Dwarf_Die cu;
    if (dwarf_offdie(dw, off + header, &cu) != nullptr) collect(&cu, out);
    off = next;
  }
  dwarf_end(dw);
  return out;
}

}  // namespace ptk::debug
