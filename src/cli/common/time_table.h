// Calls and time per name, as the summary tables of strace -c and ltrace -c print them:
// `ptk trace -c` per syscall, `ptk calls -c` per function.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace ptk::cli {

class TimeTable {
 public:
  void add(const std::string& name, std::int64_t ns, bool error = false) {
    Row& r = rows_[name];
    ++r.calls;
    r.errors += error ? 1 : 0;
    r.ns += ns;
  }
  bool empty() const { return rows_.empty(); }

  // "% time  seconds  usecs/call  calls  [errors]  <what>" rows sorted by time spent (ties by
  // calls, then name), a rule, and the total.
  std::string render(std::string_view what, bool with_errors) const;

 private:
  struct Row {
    std::uint64_t calls = 0;
    std::uint64_t errors = 0;
    std::int64_t ns = 0;
  };
  std::map<std::string, Row> rows_;
};

}  // namespace ptk::cli
