// CallTracer: which functions are traced and where their breakpoints go (process setup, -l
// libraries, libraries loaded and unloaded later).
#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "ptk/debug/call_tracer.h"

namespace ptk::debug {
namespace {

bool is_loader(const Module& m) { return m.name.starts_with("ld-"); }

std::string module_key(const Module& m) { return fmt::format("{}@{:x}", m.path, m.start); }

// Among names of one address: a built-in prototype first, then the fewest leading underscores
// (malloc over __libc_malloc), then the shortest.
auto alias_rank(const std::string& name) {
  std::size_t underscores = name.find_first_not_of('_');
  return std::tuple(builtin_prototype(name) == nullptr,
                    underscores == std::string::npos ? name.size() : underscores, name.size(),
                    std::string_view(name));
}

bool has_long(const Prototype& p) {
  auto wide = [](ArgType t) { return t == ArgType::Long || t == ArgType::ULong; };
  return wide(p.ret) || std::any_of(p.args.begin(), p.args.end(), wide);
}

}  // namespace

CallTracer::CallTracer(Session& session, BreakpointSet& bps, CallTracerOptions options,
                       CallSink& sink)
    : session_(session), bps_(bps), options_(std::move(options)), sink_(sink) {
  glob_used_.assign(options_.globs.size(), false);
}

CallTracer::~CallTracer() = default;

bool CallTracer::wanted(const std::string& name) {
  bool any_include = false, included = false, excluded = false;
  const std::string shown = short_name(name);
  for (std::size_t i = 0; i < options_.globs.size(); ++i) {
    std::string_view g = options_.globs[i];
    bool exclude = g.starts_with('!');
    if (exclude) g.remove_prefix(1);
    any_include = any_include || !exclude;
    // The ELF name or the one ptk shows ("_Znwm" or "operator new").
    std::string pattern(g);
    if (::fnmatch(pattern.c_str(), name.c_str(), 0) != 0 &&
        (shown == name || ::fnmatch(pattern.c_str(), shown.c_str(), 0) != 0)) {
      continue;
    }
    glob_used_[i] = true;
    (exclude ? excluded : included) = true;
  }
  return (!any_include || included) && !excluded;
}

const DynamicFunctions* CallTracer::functions_of(const std::string& path) {
  auto it = elf_cache_.find(path);
  if (it == elf_cache_.end()) {
    auto read = dynamic_functions(path);
    it = elf_cache_.emplace(path, read.ok() ? std::move(*read) : DynamicFunctions{}).first;
  }
  return &it->second;
}

const Prototype* CallTracer::prototype_of(const std::string& name, const Module* definer) {
  if (const Prototype* p = builtin_prototype(name)) return p;
  if (definer != nullptr && definer->path != "[vdso]") {
    auto d = dwarf_.find(definer->path);
    if (d == dwarf_.end()) d = dwarf_.emplace(definer->path, dwarf_prototypes(definer->path)).first;
    // A 64-bit integer of an i386 object takes two stack words: not shown from DWARF.
    auto p = d->second.find(name);
    if (p != d->second.end() && (abi(definer->arch).word_size == 8 || !has_long(p->second))) {
      return &p->second;
    }
  }
  auto it = guessed_.find(name);
  if (it == guessed_.end()) it = guessed_.emplace(name, guessed_prototype(name)).first;
  return &it->second;
}

Result<std::uint64_t> CallTracer::implementation(pid_t tid, const Module& m,
                                                 const DynamicFunction& f) {
  std::uint64_t address = f.address + m.bias;
  if (!f.ifunc) return address;
  if (!resolver_) {
    return Error(ErrorKind::Unsupported, fmt::format("resolve indirect function {}", f.name));
  }
  return resolver_(tid, address);
}

void CallTracer::hook(pid_t tid, Process& p, std::uint64_t address, Hook h) {
  if (p.hooks.count(address) != 0) return;  // an alias of a function already traced
  // A function whose first instruction cannot take a breakpoint is left out, not fatal.
  if (!bps_.insert(tid, address).ok()) return;
  p.hooks.emplace(address, std::move(h));
}

void CallTracer::hook_imports(pid_t tid, Process& p) {
  const Module* program = p.symbols->main_program();
  if (program == nullptr) return;
  for (const DynamicFunction& imp : functions_of(program->path)->imports) {
    // crt1's call into libc that runs main: never returns, and is not the program's own call.
    if (imp.name == "__libc_start_main" || !wanted(imp.name)) continue;
    // The definition the loader binds to: libraries before the loader itself (which defines a
    // few libc names for its own use), then in address order.
    std::vector<const Module*> order;
    for (const auto& m : p.symbols->modules()) {
      if (!m->main_program && m->path != "[vdso]") order.push_back(m.get());
    }
    std::stable_partition(order.begin(), order.end(),
                          [](const Module* m) { return !is_loader(*m); });
    for (const Module* m : order) {
      const auto& exports = functions_of(m->path)->exports;
      auto def = std::find_if(exports.begin(), exports.end(),
                              [&](const DynamicFunction& f) { return f.name == imp.name; });
      if (def == exports.end()) continue;
      auto address = implementation(tid, *m, *def);
      if (address.ok()) {
        hook(tid, p, *address,
             {.name = short_name(imp.name),
              .proto = prototype_of(imp.name, m),
              .module_start = m->start,
              .module_end = m->end,
              .from_program_only = true});
      }
      break;
    }
  }
}

// An indirect function's implementation comes from running its resolver. In an object the
// loader has relocated, ptk runs it (resolver_). In one just mapped by dlopen (the loader
// reports the new link map before it relocates), the resolver would run with its own
// unrelocated PLT and GOT: instead a breakpoint on the resolver catches the loader's (or
// dlsym's) own call to it, and the address it returns is hooked then (on_return).
void CallTracer::hook_library(pid_t tid, Process& p, const Module& m, bool relocated) {
  // One function often has several exported names (malloc and __libc_malloc, strrchr and
  // rindex): one breakpoint, under the best-known name.
  std::map<std::uint64_t, const DynamicFunction*> by_address;
  for (const DynamicFunction& f : functions_of(m.path)->exports) {
    if (!wanted(f.name)) continue;
    const DynamicFunction*& best = by_address[f.address];
    if (best == nullptr || alias_rank(f.name) < alias_rank(best->name)) best = &f;
  }
  for (const auto& [elf_address, f] : by_address) {
    Hook h{.name = short_name(f->name),
           .proto = prototype_of(f->name, &m),
           .module_start = m.start,
           .module_end = m.end,
           .from_program_only = false};
    if (f->ifunc && !relocated) {
      h.resolver = true;
      hook(tid, p, elf_address + m.bias, std::move(h));
      continue;
    }
    auto address = implementation(tid, m, *f);
    if (address.ok()) hook(tid, p, *address, std::move(h));
  }
}

Status CallTracer::add_process(pid_t tid, bool pending_libs) {
  const Thread* t = session_.thread(tid);
  pid_t pid = t != nullptr ? t->pid : tid;
  Process p;
  PTK_ASSIGN_OR_RETURN(SymbolTable table, SymbolTable::load(pid, &session_.memory(tid)));
  p.symbols = std::make_unique<SymbolTable>(std::move(table));
  if (const Module* prog = p.symbols->main_program()) {
    p.program_start = prog->start;
    p.program_end = prog->end;
  }
  std::vector<const Module*> libs;
  for (const std::string& lib : options_.libs) {
    const Module* m = p.symbols->find_module(lib);
    if (m == nullptr && !pending_libs) {
      std::vector<std::string> names;
      for (const auto& mod : p.symbols->modules()) names.push_back(mod->name);
      return Error(ErrorKind::NotFound,
                   fmt::format("-l {}: no such library in process {}", lib, pid), 0,
                   fmt::format("loaded: {}", fmt::join(names, ", ")));
    }
    if (m != nullptr) {
      libs_seen_.insert(lib);
      libs.push_back(m);
    }
  }
  for (const auto& m : p.symbols->modules()) p.relocated.insert(module_key(*m));
  auto watch = LibraryWatch::start(session_, bps_, *p.symbols, tid);
  if (watch.ok()) p.watch.emplace(std::move(*watch));
  if (options_.libs.empty()) {
    hook_imports(tid, p);
  } else {
    for (const Module* m : libs) hook_library(tid, p, *m, true);
  }
  procs_.insert_or_assign(pid, std::move(p));
  return ok_status();
}

void CallTracer::unhook_range(pid_t pid, Process& p, std::uint64_t start, std::uint64_t end) {
  for (auto it = p.hooks.lower_bound(start); it != p.hooks.end() && it->first < end;) {
    (void)bps_.remove(pid, it->first);
    it = p.hooks.erase(it);
  }
  for (auto it = p.returns.lower_bound(start); it != p.returns.end() && *it < end;) {
    (void)bps_.remove(pid, *it);
    it = p.returns.erase(it);
  }
  // Calls that would return into the object: their return breakpoints go with it.
  for (auto& [tid, stack] : stacks_) {
    const Thread* t = session_.thread(tid);
    if (t == nullptr || t->pid != pid) continue;
    std::erase_if(stack, [&](const Frame& f) {
      bool inside = f.return_address >= start && f.return_address < end;
      if (inside) drop_frame(pid, f);
      return inside;
    });
  }
}

Status CallTracer::on_library_event(Process& p, const BreakpointHit& hit) {
  PTK_ASSIGN_OR_RETURN(LibraryEvent ev, p.watch->on_hit(hit));
  if (ev.kind == LibraryEvent::Kind::Unloading) {
    for (const Module* m : ev.unloading) unhook_range(hit.pid, p, m->start, m->end);
    return ok_status();
  }
  for (const Module* m : ev.added) {
    // Objects back after an Unloading were relocated when they first came.
    bool relocated = !p.relocated.insert(module_key(*m)).second;
    for (const std::string& lib : options_.libs) {
      if (p.symbols->find_module(lib) != m) continue;
      libs_seen_.insert(lib);
      hook_library(hit.tid, p, *m, relocated);
    }
  }
  return ok_status();
}

Status CallTracer::on_fork(pid_t parent_tid, pid_t child) {
  const Thread* t = session_.thread(parent_tid);
  auto it = procs_.find(t != nullptr ? t->pid : parent_tid);
  if (it == procs_.end()) return ok_status();
  Process& parent = it->second;
  Process p;
  PTK_ASSIGN_OR_RETURN(SymbolTable table, SymbolTable::load(child, &session_.memory(child)));
  p.symbols = std::make_unique<SymbolTable>(std::move(table));
  if (parent.watch) p.watch.emplace(parent.watch->for_child(child, *p.symbols));
  p.hooks = parent.hooks;
  p.program_start = parent.program_start;
  p.program_end = parent.program_end;
  p.relocated = parent.relocated;
  p.returns = parent.returns;  // the child has their int3 bytes too
  procs_.insert_or_assign(child, std::move(p));
  if (auto s = stacks_.find(parent_tid); s != stacks_.end()) stacks_[child] = s->second;
  return ok_status();
}

void CallTracer::forget_process(pid_t pid) {
  procs_.erase(pid);
  std::erase_if(stacks_, [&](const auto& entry) {
    const Thread* t = session_.thread(entry.first);
    return entry.first == pid || t == nullptr || t->pid == pid;
  });
}

std::vector<std::string> CallTracer::unmatched_globs() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < options_.globs.size(); ++i) {
    if (!glob_used_[i]) out.push_back(options_.globs[i]);
  }
  return out;
}

std::vector<std::string> CallTracer::unseen_libs() const {
  std::vector<std::string> out;
  for (const std::string& lib : options_.libs) {
    if (libs_seen_.count(lib) == 0) out.push_back(lib);
  }
  return out;
}

}  // namespace ptk::debug
