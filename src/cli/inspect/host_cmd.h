// `ptk host [CAPABILITY...]`: what this machine's kernel can do for ptk, probed for real.
#pragma once

namespace CLI {
class App;
}

namespace ptk::cli {

void register_host(CLI::App& app, int& exit_code);

}  // namespace ptk::cli
