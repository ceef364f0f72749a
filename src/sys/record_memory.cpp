#include "ptk/sys/record_memory.h"

#include <algorithm>
#include <cstring>

namespace ptk::sys {

std::size_t RecordMemory::read(std::uint64_t addr, std::span<std::byte> out) const {
  std::size_t done = 0;
  // A read may span chunks that touch (an iovec array, then the next one): go on from each
  // chunk's end in whichever chunk holds that byte. A syscall has a few chunks: a linear search
  // from the newest is cheaper than keeping them sorted.
  while (done < out.size()) {
    std::uint64_t at = addr + done;
    const Chunk* holder = nullptr;
    for (auto it = chunks_.rbegin(); it != chunks_.rend(); ++it) {
      if (at >= it->addr && at - it->addr < it->bytes.size()) {
        holder = &*it;
        break;
      }
    }
    if (holder == nullptr) break;
    std::size_t offset = at - holder->addr;
    std::size_t n = std::min(holder->bytes.size() - offset, out.size() - done);
    std::memcpy(out.data() + done, holder->bytes.data() + offset, n);
    done += n;
  }
  return done;
}

}  // namespace ptk::sys
