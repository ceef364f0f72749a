#include "trace/trace_rewrite.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "ptk/tamper/rules.h"

namespace ptk::cli {

void add_rewrite_options(CLI::App& app, RewriteOptions& o) {
  app.add_option("--rewrite", o.rules,
                 "Rewrite syscalls by RULE (repeatable), e.g. "
                 "'openat(path=\"/etc/hostname\") -> path=\"/tmp/myhost\"' "
                 "(docs/rewrite-rules.md)")
      ->type_name("RULE");
  app.add_option("--rules", o.files, "Rewrite rules from FILE, one per line (repeatable)")
      ->type_name("FILE");
}

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
