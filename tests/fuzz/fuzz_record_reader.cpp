// libFuzzer target: record files (`ptk show FILE`). The input is parsed as a whole file by
// sys::RecordReader; every record it yields must be framed as the reader promises, and every
// failure must be a one-line message naming the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "ptk/sys/raw_event.h"
#include "ptk/sys/record.h"

namespace {

void check_error(const ptk::Error& e) {
  std::string m = e.message();
  if (m.rfind("input: ", 0) != 0 || m.find('\n') != std::string::npos) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto bytes = std::as_bytes(std::span(data, size));
  auto reader = ptk::sys::RecordReader::from_bytes(bytes, "input");
  if (!reader.ok()) {
    check_error(reader.error());
    return 0;
  }
  for (;;) {
    auto rec = reader->next();
    if (!rec.ok()) {
      check_error(rec.error());
      break;
    }
    if (rec->empty()) break;
    ptk_ev_header h;
    __builtin_memcpy(&h, rec->data(), sizeof h);
    if (h.size != rec->size() || h.size % 8 != 0 || h.size > PTK_EV_MAX_SIZE ||
        rec->data() + rec->size() > bytes.data() + bytes.size()) {
      std::abort();
    }
  }
  return 0;
}
