// Searching a tracee's memory for a byte string: every readable mapping, read in bounded
// chunks (a match may straddle two chunks: consecutive chunks overlap by the needle's length
// minus one), with a bound on the matches kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/core/memory.h"
#include "ptk/core/proc.h"

namespace ptk {

struct MemSearchOptions {
  std::size_t max_matches = 1000;    // stop after this many (MemSearchResult::truncated)
  std::size_t chunk_size = 1 << 20;  // bytes read at a time: the memory the search holds
};

struct MemMatch {
  std::uint64_t address = 0;
  std::size_t mapping = 0;  // index into the mappings searched
};

struct MemSearchResult {
  std::vector<MemMatch> matches;       // in address order
  bool truncated = false;              // max_matches was reached: there may be more
  std::uint64_t bytes_searched = 0;    // bytes read
  std::uint64_t bytes_unreadable = 0;  // bytes of readable mappings that could not be read
};

// Searches every mapping with read permission, in the order given (ascending, as
// /proc/PID/maps lists them). InvalidArgument for an empty needle or one longer than a chunk.
Result<MemSearchResult> search_memory(Memory& memory, std::span<const MapEntry> mappings,
                                      std::span<const std::byte> needle,
                                      const MemSearchOptions& options = {});

}  // namespace ptk
