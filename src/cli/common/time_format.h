// Times as strace and ltrace print them: the -t/-tt/-ttt line prefix and the -T duration.
#pragma once

#include <cstdint>
#include <string>

namespace ptk::cli {

// "HH:MM:SS " (level 1), "HH:MM:SS.uuuuuu " (2) or "SSSSSSSSSS.uuuuuu " (3, seconds since the
// epoch) for the wall-clock time `realtime_ns`, local time for levels 1 and 2.
void append_timestamp(std::string& out, std::int64_t realtime_ns, int level);

// " <S.uuuuuu>": how long something took.
void append_duration(std::string& out, std::int64_t ns);

}  // namespace ptk::cli
