// `ptk bt PID`: a backtrace of every thread of a process.
#pragma once

namespace CLI {
class App;
}

namespace ptk::cli {

void register_bt(CLI::App& app, int& exit_code);

}  // namespace ptk::cli
