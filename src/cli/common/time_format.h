// Times as strace and ltrace print them: the -t/-tt/-ttt line prefix and the -T duration.
#pragma once

#include <cstdint>
#include <string>

namespace ptk::cli {

// "HH:MM:SS " (level 1), "HH:MM:SS.uuuuuu " (2) or "SSSSSSSSSS.uuuuuu " (3, seconds since the
// epoch) for the wall-clock time `realtime_ns`, local time for levels 1 and 2.
// `digits` (0, 3, 6 or 9; -1: the level's own, 0 or 6) sets the fraction of a second shown
// (strace's --absolute-timestamps=precision:).
void append_timestamp(std::string& out, std::int64_t realtime_ns, int level, int digits = -1);

// "S.fraction" with `digits` digits after the point (0: no point).
void append_seconds(std::string& out, std::int64_t ns, int digits, int width = 0);

// " <S.uuuuuu>": how long something took (`digits` after the point: -T=PRECISION).
void append_duration(std::string& out, std::int64_t ns, int digits = 6);

}  // namespace ptk::cli
