# shellcheck shell=bash disable=SC2154  # reads the settings of scripts/vm-test.sh
# The VM lane's verdict, from what the guest wrote into RUN/job (status, log, times,
# junit.xml) and RUN/console.log. Sourced by scripts/vm-test.sh; reads its settings (run_mode,
# quiet, junit, timeout, start) and vm_timed_out.
#
# report RUN prints the summary and exits: with the command's status for --run (quiet: after
# the command's output, which the console did not show); for ctest, 0
# only when tests ran and all passed, after a last line `N passed, M failed`. When no count can
# be trusted (deadline, job never ran, no test ran) the last line is an error instead.

report() {
  local run=$1 job=$1/job status
  if ((vm_timed_out)); then
    report_log_tail "$run"
    echo "vm-test.sh: timed out: the run passed its deadline of ${timeout}s (--timeout) and the VM was killed" >&2
    exit 124
  fi
  if [[ ! -f $job/status ]]; then
    report_log_tail "$run"
    local panic
    panic=$(report_panic "$run/console.log")
    if [[ -n $panic ]]; then
      echo "vm-test.sh: the guest's kernel panicked: $panic (console log: $run/console.log)" >&2
      exit 75
    fi
    echo "vm-test.sh: the VM never ran the job (qemu's exit status: $vm_qemu_status; console log: $run/console.log)" >&2
    exit 1
  fi
  status=$(<"$job/status")
  if ((run_mode)); then
    # Quiet: the command's own output (without the console's boot lines) is the summary.
    if ((quiet)); then
      cat "$job/log"
    fi
    exit "$status"
  fi
  report_ctest "$run" "$status"
}

report_ctest() {
  local run=$1 status=$2 job=$1/job summary failed total skipped
  [[ -z $junit ]] || report_copy_junit "$job/junit.xml"
  summary=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$job/log" |
    tail -n 1 || true)
  if [[ ! $summary =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]] ||
    ((BASH_REMATCH[2] == 0)); then
    report_log_tail "$run"
    echo "vm-test.sh: ctest ran no test, or printed no summary (exit status $status; log: $job/log)" >&2
    exit 1
  fi
  failed=${BASH_REMATCH[1]}
  total=${BASH_REMATCH[2]}
  skipped=$(grep -cE '^[[:space:]]*[0-9]+ - .* \(Skipped\)$' "$job/log" || true)
  if ((quiet && failed > 0)); then
    report_failures "$job/log"
  fi
  report_times "$job/times"
  if ((skipped > 0)); then
    echo "vm-test.sh: $skipped of the passed tests were skipped"
  fi
  echo "$((total - failed)) passed, $failed failed"
  if ((failed == 0 && status == 0)); then
    exit 0
  fi
  exit 1
}

# The guest kernel's panic message, with the tasks a soft lockup names ("CPU#1 in
# ptk_bpf_tests:4446"), or nothing when it did not panic.
report_panic() {
  local log=$1 why stuck
  why=$(sed -n 's/.*Kernel panic - not syncing: //p' "$log" | head -n 1)
  [[ -n $why ]] || return 0
  stuck=$(sed -n 's/.*soft lockup - \(CPU#[0-9]*\) stuck for [0-9]*s! \[\(.*\)\].*/\1 in \2/p' "$log" |
    sort -u | paste -sd, - | sed 's/,/, /g')
  echo "$why${stuck:+ (soft lockup: $stuck)}"
}

# ctest's list of failed tests (when the console was not shown).
report_failures() {
  sed -n '/^The following tests FAILED:/,$p' "$1"
}

report_times() {
  local boot end
  [[ -f $1 ]] && read -r boot end <"$1" || return 0
  echo "vm-test.sh: the job started ${boot}s after the kernel booted and ran $(
    awk -v a="$boot" -v b="$end" 'BEGIN { printf "%.0f", b - a }'
  )s; the whole run took $((SECONDS - start))s"
}

report_copy_junit() {
  if [[ -f $1 ]]; then
    cp "$1" "$junit"
  else
    echo "vm-test.sh: ctest wrote no JUnit report; $junit not written" >&2
  fi
}

# The end of the console log, when it was not streamed, and where the whole of it is.
report_log_tail() {
  local log=$1/console.log
  if ((quiet)) && [[ -f $log ]]; then
    echo "--- the last lines of $log:" >&2
    tail -n 30 "$log" >&2
  fi
}
