// The options of ptk show: those of ptk trace's table that choose what to print and how
// (filters, decoding, format, output, summary), not those that start, stop or change processes.
#include <algorithm>
#include <string_view>
#include <vector>

#include "show/show_cmd.h"

namespace ptk::cli {
namespace {

bool for_show(const TraceOptionSpec& s) {
  // By letter (its long names too), or by long name for the long-only options.
  constexpr std::string_view kLetters = "ePzZaqyinNoArstTvxXcCOSUwfh";
  constexpr std::string_view kLong[] = {"trace",
                                        "signal",
                                        "signals",
                                        "status",
                                        "abbrev",
                                        "verbose",
                                        "raw",
                                        "absolute-timestamps",
                                        "timestamps",
                                        "strings-in-hex",
                                        "color",
                                        "json",
                                        "perfetto",
                                        "whole-lines",
                                        "output-separately"};
  if (s.id < 256) return kLetters.find(static_cast<char>(s.id)) != std::string_view::npos;
  return s.long_name != nullptr &&
         std::find(std::begin(kLong), std::end(kLong), s.long_name) != std::end(kLong);
}

}  // namespace

std::span<const TraceOptionSpec> show_option_specs() {
  static const std::vector<TraceOptionSpec> specs = [] {
    std::vector<TraceOptionSpec> out;
    for (const TraceOptionSpec& s : trace_option_specs()) {
      if (for_show(s)) out.push_back(s);
    }
    return out;
  }();
  return specs;
}

}  // namespace ptk::cli
