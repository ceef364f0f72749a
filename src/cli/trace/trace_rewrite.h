// ptk trace --rewrite RULE / --rules FILE: ptk's own tamper rules (docs/rewrite-rules.md),
// parsed and checked before any tracee starts, run as one tamper::Hook.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/tamper/hook.h"

namespace ptk::cli {

struct RewriteOptions {
  std::vector<std::string> rules;  // --rewrite RULE, in command-line order
  std::vector<std::string> files;  // --rules FILE
};

// The rules of every --rules file (in order), then every --rewrite, as one hook appended to
// `hooks`; nothing when there are none. Errors quote the rule: --rewrite 'RULE': message, or
// name the file and line: FILE:LINE: message.
Status add_rewrite_hook(const RewriteOptions& o, std::vector<std::unique_ptr<tamper::Hook>>& hooks);

}  // namespace ptk::cli
