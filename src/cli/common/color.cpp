#include "common/color.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>

namespace ptk::cli {
namespace {

ColorWhen g_when = ColorWhen::Auto;

// SGR parameters of each Style, in the order of the enum. Plain colors (30-37) rather than
// bright ones: they are the ones every terminal theme adapts to a light or dark background.
constexpr std::string_view kSgr[] = {
    "34",    // Address: blue
    "33",    // Symbol: yellow
    "32",    // Location: green
    "36",    // Register: cyan
    "1;33",  // Changed: bold yellow
    "33",    // Syscall: yellow
    "32",    // Success: green
    "31",    // Failure: red
    "35",    // Signal: magenta
    "36",    // Exit: cyan
    "1",     // Header: bold
    "1;31",  // ErrorWord: bold red
};
static_assert(std::size(kSgr) == static_cast<std::size_t>(Style::ErrorWord) + 1);

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0';
}

}  // namespace

std::optional<ColorWhen> parse_color_when(std::string_view text) {
  if (text == "auto") return ColorWhen::Auto;
  if (text == "always") return ColorWhen::Always;
  if (text == "never") return ColorWhen::Never;
  return std::nullopt;
}

bool want_color(ColorWhen when, int fd) {
  switch (when) {
    case ColorWhen::Always:
      return true;
    case ColorWhen::Never:
      return false;
    case ColorWhen::Auto:
      break;
  }
  if (env_set("NO_COLOR") || ::isatty(fd) != 1) return false;
  // A terminal that says it cannot do escapes (Emacs' shell, a serial console), or does not
  // say what it is, gets none.
  const char* term = std::getenv("TERM");
  std::string_view name = term != nullptr ? term : "";
  return !name.empty() && name != "dumb" && name != "unknown";
}

Palette Palette::for_stream(std::FILE* stream) {
  return Palette(stream != nullptr && want_color(g_when, ::fileno(stream)));
}

std::string Palette::paint(Style style, std::string_view text) const {
  if (!on_ || text.empty()) return std::string(text);
  std::string out;
  out.reserve(text.size() + 12);
  out += "\x1b[";
  out += kSgr[static_cast<std::size_t>(style)];
  out += 'm';
  out += text;
  out += "\x1b[0m";
  return out;
}

std::string Palette::paint_left(Style style, std::string_view text, std::size_t width) const {
  std::string out = paint(style, text);
  if (text.size() < width) out.append(width - text.size(), ' ');
  return out;
}

void set_color_when(ColorWhen when) { g_when = when; }
ColorWhen color_when() { return g_when; }

std::optional<ColorWhen> color_when_in_args(int argc, char** argv) {
  std::optional<ColorWhen> found;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") break;
    if (a.starts_with("--color=")) {
      if (auto w = parse_color_when(a.substr(8))) found = w;
    } else if (a == "--color" && i + 1 < argc) {
      if (auto w = parse_color_when(argv[i + 1])) found = w;
    }
  }
  return found;
}

void add_color_option(CLI::App& sub) {
  sub.add_option_function<std::string>(
         "--color",
         [](const std::string& v) {
           set_color_when(parse_color_when(v).value_or(ColorWhen::Auto));
         },
         "color the output: auto (on a terminal, unless NO_COLOR is set), always or never")
      ->type_name("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

}  // namespace ptk::cli
