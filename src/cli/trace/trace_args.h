// The command line of `ptk trace`, parsed as strace parses its own: getopt_long with option
// letters bundled (-fftt), values attached or separate (-s64, -s 64, --string-limit=64), and
// the options ending at the first word that is not one, which starts the command (strace's
// "+" optstring). One table (kTraceOptions) drives the parser and the help text.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "ptk/base/result.h"
#include "trace/trace_options.h"

namespace ptk::cli {

enum class ArgMode : std::uint8_t { None, Required, Optional };

struct TraceOptionSpec {
  int id;                 // the letter, or an id above 255 for a long-only option
  const char* long_name;  // nullptr: the letter only
  ArgMode arg;
  const char* metavar;  // the value's name in the help ("COLUMN")
  const char* help;     // nullptr: an alias, left out of the help
};

std::span<const TraceOptionSpec> trace_option_specs();

// What the command line asked for besides a trace.
enum class TraceRequest : std::uint8_t { Trace, Help, Version };

// argv[0] is "trace". Errors name the option and what was wrong with it, in one line.
Result<TraceRequest> parse_trace_args(int argc, char** argv, TraceOptions& o);

std::string trace_help();

// The same parser and help over another table of the same options (ptk show's subset); `cmd`
// names the subcommand in messages. Without `options_end_at_first_word`, options may also
// follow the other words (ptk show FILE -c).
Result<TraceRequest> parse_option_table(std::span<const TraceOptionSpec> specs,
                                        std::string_view cmd, int argc, char** argv,
                                        TraceOptions& o, bool options_end_at_first_word = true);
std::string option_table_help(std::span<const TraceOptionSpec> specs, std::string_view head);

}  // namespace ptk::cli
