#include "trace/trace_rewrite.h"

#include <fmt/format.h>

#include "ptk/tamper/rules.h"

namespace ptk::cli {

Status add_rewrite_hook(const RewriteOptions& o,
                        std::vector<std::unique_ptr<tamper::Hook>>& hooks) {
  std::vector<tamper::Rule> rules;
  for (const std::string& file : o.files) {
    PTK_ASSIGN_OR_RETURN(auto from_file, tamper::load_rules_file(file));
    for (auto& r : from_file) rules.push_back(std::move(r));
  }
  for (const std::string& text : o.rules) {
    auto rule = tamper::parse_rule(text);
    if (!rule.ok()) {
      return Error(ErrorKind::InvalidArgument,
                   fmt::format("--rewrite '{}': {}", text, rule.error().call()), 0,
                   rule.error().hint());
    }
    rules.push_back(std::move(rule).value());
  }
  if (!rules.empty()) hooks.push_back(tamper::make_rules_hook(std::move(rules)));
  return ok_status();
}

}  // namespace ptk::cli
