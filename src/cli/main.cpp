// ptk: the command line. It parses, calls the library and renders; it never calls ptrace.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

int main(int argc, char** argv) {
  CLI::App app{"ptk - the ptrace toolkit: trace, tamper with, debug and inject into processes"};
  app.set_version_flag("--version", std::string("ptk ") + PTK_VERSION);
  app.require_subcommand(0, 1);
  app.footer(
      "Subcommands arrive as their issues land; run `ptk SUBCOMMAND --help` for each one.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (app.get_subcommands().empty()) {
    fmt::print("{}", app.help());
  }
  return 0;
}
