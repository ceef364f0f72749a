// The edit distance behind the "did you mean" hints of ptk's parsers (syscall names in
// -e trace= and rules, errno names in -e inject=).
#pragma once

#include <cstddef>
#include <string_view>

namespace ptk::sys {

// Levenshtein distance: the fewest single-byte insertions, deletions and substitutions that
// turn `a` into `b`.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace ptk::sys
