// `ptk maps PID`: a process's memory mappings, aligned, with sizes in human units.
#pragma once

namespace CLI {
class App;
}

namespace ptk::cli {

void register_maps(CLI::App& app, int& exit_code);

}  // namespace ptk::cli
