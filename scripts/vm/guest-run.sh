#!/bin/bash
# shellcheck disable=SC2154  # job.conf, sourced at run time, sets the vm_* variables
# The VM lane's second stage: PID 1 after scripts/vm/init's switch_root, running the host's own
# userland on the overlay root. It makes the guest look like the host where tests can tell
# (devices, loopback, capabilities, limits, ptrace and perf sysctls), runs the job from the job
# directory /run/ptk-vm (written by scripts/vm-test.sh), writes back its exit status, and
# powers the VM off.
#
# The job directory holds, from the host: job.conf (settings, sourced; see scripts/vm-test.sh)
# and command (the bash script to run); from here: log (the job's output, also on the console),
# status (its exit status, written last) and times (seconds since boot at the job's start and
# end).
#
# No `set -e`: whatever fails, PID 1 must reach the power-off, or qemu runs until the deadline.
set -uo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
job=/run/ptk-vm

say() {
  echo "ptk-vm: $*"
}

# devtmpfs has device nodes only: the rest of a usual /dev is made here.
setup_dev() {
  mkdir -p /dev/pts /dev/shm
  mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
  mount -t tmpfs -o mode=1777 tmpfs /dev/shm
  ln -sfn /proc/self/fd /dev/fd
  ln -sfn /proc/self/fd/0 /dev/stdin
  ln -sfn /proc/self/fd/1 /dev/stdout
  ln -sfn /proc/self/fd/2 /dev/stderr
  mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null || true
}

# Tests talk over 127.0.0.1.
setup_net() {
  if command -v ip >/dev/null; then
    ip link set lo up
  else
    busybox ip link set lo up
  fi
}

# The sysctls the host reported (vm_sysctls: "path=value" under /proc/sys), e.g. Yama's
# ptrace_scope, which Debian's kernel has and the host may not.
setup_sysctls() {
  local kv
  for kv in "${vm_sysctls[@]}"; do
    [[ -w /proc/sys/${kv%%=*} ]] && echo "${kv#*=}" >"/proc/sys/${kv%%=*}"
  done
}

# The host's resource limits (vm_limits: prlimit's "nofile=SOFT:HARD"); prlimit sets both
# values at once, in whichever order the change needs.
setup_limits() {
  local l
  for l in "${vm_limits[@]}"; do
    prlimit --pid $$ "--$l" || say "cannot set the limit $l"
  done
}

# The capabilities this guest's root has and the host's root lacks (vm_capbnd: the host's
# CapBnd), as setpriv's --bounding-set argument ("-sys_resource,..."); empty when none.
caps_to_drop() {
  local mine extra i
  local -a names drop=()
  mine=$(sed -n 's/^CapBnd:[[:space:]]*//p' /proc/self/status)
  extra=$((0x$mine & ~0x$vm_capbnd))
  # setpriv lists capability names in the order of their numbers.
  mapfile -t names < <(setpriv --list-caps)
  for ((i = 0; i < 64; i++)); do
    ((extra >> i & 1)) || continue
    if [[ -z ${names[i]-} ]]; then
      say "setpriv does not know capability $i, which the host's root lacks"
      return 1
    fi
    drop+=("-${names[i]}")
  done
  local IFS=,
  echo "${drop[*]}"
}

uptime_s() {
  cut -d' ' -f1 /proc/uptime
}

# Runs the command with the host's environment (only), in the caller's directory, without the
# capabilities the host's root lacks; its output goes to the console and to the log.
run_job() {
  local drop start out tee_pid rc i
  local -a prefix=()
  drop=$(caps_to_drop) || return 1
  [[ -z $drop ]] || prefix=(setpriv "--bounding-set=$drop" --)
  cd "$vm_cwd" || {
    say "no directory $vm_cwd in the guest"
    return 1
  }
  start=$(uptime_s)
  say "job starts ${start}s after boot${drop:+ (bounding set without ${drop//-/})}"
  # tee is not waited for as a pipeline's end would be: a process the command left running in
  # the background may hold its output open for ever.
  exec {out}> >(tee "$job/log")
  tee_pid=$!
  env -i "${vm_env[@]}" "${prefix[@]}" bash "$job/command" </dev/null >&"$out" 2>&1
  rc=$?
  exec {out}>&-
  for ((i = 0; i < 50; i++)); do
    kill -0 "$tee_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "$start $(uptime_s)" >"$job/times"
  # Written only once the command ran: without it the host reports that the job never ran.
  echo "$rc" >"$job/status"
}

main() {
  setup_dev
  setup_net
  # shellcheck source=/dev/null
  source "$job/job.conf" || {
    say "cannot read $job/job.conf"
    return
  }
  setup_sysctls
  setup_limits
  run_job
}

main
sync
busybox poweroff -f
# Not reached unless poweroff failed; the kernel's power-off by sysrq is the last resort.
echo o >/proc/sysrq-trigger
sleep 10
