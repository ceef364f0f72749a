// libFuzzer target: record files (`ptk show FILE`). The input is parsed as a whole file by
// sys::RecordReader; every record it yields must be framed as the reader promises, and every
// failure must be a one-line message naming the input. Each record is then fed to a
// sys::Replayer, which decodes it from its captured memory into a sink that discards.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "ptk/sys/raw_event.h"
#include "ptk/sys/record.h"
#include "ptk/sys/replay.h"

namespace {

void check_error(const ptk::Error& e) {
  std::string m = e.message();
  if (m.rfind("input: ", 0) != 0 || m.find('\n') != std::string::npos) std::abort();
}

class Discard final : public ptk::sys::TraceSink {
 public:
  void syscall_entry(ptk::sys::DecodedSyscall&) override {}
  void syscall_exit(ptk::sys::DecodedSyscall&) override {}
  void signal(const ptk::Event&) override {}
  void thread_gone(const ptk::Event&, ptk::sys::DecodedSyscall*) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto bytes = std::as_bytes(std::span(data, size));
  auto reader = ptk::sys::RecordReader::from_bytes(bytes, "input");
  if (!reader.ok()) {
    check_error(reader.error());
    return 0;
  }
  Discard sink;
  ptk::sys::TracerOptions options;
  // The recording's bounds, as ptk show takes them (a fuzzed -s stays small: cheap runs).
  options.decode.string_limit = reader->info().string_limit % 4096;
  options.decode.verbose = (reader->info().flags & ptk::sys::kRecordVerbose) != 0;
  ptk::sys::Replayer replayer(options, sink);
  replayer.set_clock_offset(reader->info().clock_offset_ns);
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
    auto fed = replayer.feed(*rec);
    if (!fed.ok() && fed.error().message().empty()) std::abort();
  }
  replayer.finish();
  return 0;
}
