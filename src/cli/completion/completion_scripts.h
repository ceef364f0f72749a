// The completion scripts `ptk completion SHELL` prints, each rendered from one CompletionModel.
#pragma once

#include <string>
#include <string_view>

#include "completion/completion_model.h"

namespace ptk::cli {

std::string bash_completion(const CompletionModel& model);
std::string zsh_completion(const CompletionModel& model);
std::string fish_completion(const CompletionModel& model);
// One line per option of each subcommand, "SUBCOMMAND OPTION" (ptk's own under "ptk"), hidden
// aliases included: what tests/cli/man_options.py holds the man pages against.
std::string option_list(const CompletionModel& model);

// The lookup functions (_ptk_options, _ptk_value, ...) the bash and zsh scripts share.
std::string shell_tables(const CompletionModel& model);
// The shell word for a value kind ("pid", "syscall", "choice:a,b"), shared by the renderers.
std::string kind_word(ValueKind kind, const std::vector<std::string>& choices = {});
// `text` in single quotes for any POSIX shell (zsh and fish read them the same way).
std::string single_quoted(std::string_view text);
// The words joined by one space.
std::string joined(const std::vector<std::string>& words, std::string_view sep = " ");

}  // namespace ptk::cli
