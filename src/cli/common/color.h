// Color on a terminal: when to use it (--color=auto|always|never, NO_COLOR, the output being a
// terminal) and the one place that knows the escape codes. Renderers take a Palette and ask it
// to paint a piece of text in a Style; a Palette that is off returns the text as it was, so the
// output without color is byte for byte what it was before color existed.
#pragma once

#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace ptk::cli {

enum class ColorWhen { Auto, Always, Never };

// "auto", "always", "never"; nullopt for anything else.
std::optional<ColorWhen> parse_color_when(std::string_view text);

// Whether output to `fd` gets color. Auto: only on a terminal, with NO_COLOR unset or empty
// and a TERM that is set and not "dumb" (nor "unknown"). Always: whatever the stream, TERM and
// NO_COLOR say. This is strace 7's rule (its --color defaults to auto, and it reads NO_COLOR and
// TERM only under auto) and no-color.org's (NO_COLOR sets a default that an explicit flag
// overrides), as
// --color=always of GNU ls and grep colors a pipe too. One difference from strace: a NO_COLOR
// set to the empty string does not count, as no-color.org says.
bool want_color(ColorWhen when, int fd);

// What a piece of text is; the palette picks its look (close to gdb's styling: addresses blue,
// functions yellow, files green).
enum class Style {
  Address,    // a code or data address
  Symbol,     // a function or symbol name
  Location,   // a source file:line, a file path
  Register,   // a register's name
  Changed,    // a value that changed, a breakpoint's hit line
  Syscall,    // a syscall's name
  Success,    // a syscall's return value
  Failure,    // an error return (-1 ENOENT (...)), a failed operation
  Signal,     // a signal's name or line
  Exit,       // a process's end (+++ exited with 0 +++)
  Header,     // a table's header row
  ErrorWord,  // "ptk step:" before an error message
};

class Palette {
 public:
  Palette() = default;  // off
  explicit Palette(bool on) : on_(on) {}
  // The palette for `stream` under the --color setting of this run (set_color_when).
  static Palette for_stream(std::FILE* stream);

  bool on() const { return on_; }
  // `text` in `style`; the text unchanged when the palette is off (or the text is empty).
  std::string paint(Style style, std::string_view text) const;
  // `text` padded with spaces to `width` columns, then painted: the escape codes never count
  // as columns, so tables stay aligned with and without color. The padding stays unpainted.
  std::string paint_left(Style style, std::string_view text, std::size_t width) const;

 private:
  bool on_ = false;
};

// The --color setting of this run. Every subcommand's option sets it; main() sets it from the
// command line before parsing too, so that an error in the command line itself is colored as
// asked.
void set_color_when(ColorWhen when);
ColorWhen color_when();
// The --color setting among the arguments (before any "--"), if one is there and valid.
std::optional<ColorWhen> color_when_in_args(int argc, char** argv);

// Adds `--color WHEN` to a subcommand; its value becomes the run's setting.
void add_color_option(CLI::App& sub);

// The palette of ptk's own messages on stderr.
inline Palette error_palette() { return Palette::for_stream(stderr); }

}  // namespace ptk::cli
