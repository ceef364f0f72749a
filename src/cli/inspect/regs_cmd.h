// `ptk regs PID`: the registers of a process's threads, like gdb's `info registers`.
#pragma once

namespace CLI {
class App;
}

namespace ptk::cli {

void register_regs(CLI::App& app, int& exit_code);

}  // namespace ptk::cli
