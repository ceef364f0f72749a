#include "completion/completion_cmd.h"

#include <fmt/format.h>

#include <memory>
#include <string>

#include "completion/completion_model.h"
#include "completion/completion_scripts.h"

namespace ptk::cli {

void register_completion(CLI::App& app, int& exit_code) {
  auto shell = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand("completion", "Print a completion script for SHELL");
  sub->group("");  // hidden: for packagers and the build, not in ptk --help
  sub->add_option("shell", *shell, "bash, zsh, fish, or options (the list of every option)")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish", "options"}));
  sub->callback([&app, shell, &exit_code] {
    CompletionModel model = build_completion_model(app);
    if (*shell == "bash") fmt::print("{}", bash_completion(model));
    if (*shell == "zsh") fmt::print("{}", zsh_completion(model));
    if (*shell == "fish") fmt::print("{}", fish_completion(model));
    if (*shell == "options") fmt::print("{}", option_list(model));
    exit_code = 0;
  });
}

}  // namespace ptk::cli
