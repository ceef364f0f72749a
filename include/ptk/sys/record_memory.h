// The user memory a raw syscall event captured (its chunks, raw_event.h) as a MemorySource:
// the decoders read it through a Memory as they read a stopped tracee.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ptk/core/memory.h"

namespace ptk::sys {

class RecordMemory : public MemorySource {
 public:
  struct Chunk {
    std::uint64_t addr = 0;
    std::span<const std::byte> bytes;
  };

  void clear() { chunks_.clear(); }
  // Chunks added later are read first where they overlap earlier ones (a syscall's exit
  // chunks over its entry's: the memory as the syscall left it).
  void add(Chunk chunk) { chunks_.push_back(chunk); }

  std::size_t read(std::uint64_t addr, std::span<std::byte> out) const override;

 private:
  std::vector<Chunk> chunks_;
};

}  // namespace ptk::sys
