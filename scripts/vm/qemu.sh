# shellcheck shell=bash disable=SC2034,SC2154  # shares variables with scripts/vm-test.sh
# Runs the VM lane's qemu: the scratch disk, the command line, the deadline, and the clean-up
# that leaves no qemu process behind (on exit, on Ctrl-C, SIGTERM and SIGHUP). Sourced by
# scripts/vm-test.sh after scripts/vm/arch.sh; reads its settings (accel, cpus, memory, append,
# quiet, VM_KERNEL_FILE, VM_INITRAMFS) and VM_ROOT_IMAGE: the root image (scripts/vm/rootfs.sh)
# the guest gets as its second disk, read-only (writable while VM_ROOT_IMAGE_RW is 1), if any.
#
# vm_run_qemu RUN SECONDS makes the scratch disk RUN/scratch.img, boots the VM for the job in
# RUN/job and returns when qemu has ended (the disk removed); vm_qemu_status is then qemu's exit
# status, and vm_timed_out 1 when the deadline killed it. The console goes to RUN/console.log
# (and to stdout unless quiet).

vm_qemu_pid=
vm_pidfile=
vm_scratch=
vm_timed_out=0
vm_qemu_status=
VM_ROOT_IMAGE=
VM_ROOT_IMAGE_RW=0

# The scratch disk: a sparse file with a fresh ext4 for the overlay's writes and /tmp. Its
# inode tables and journal are left for the guest (which does not zero them): making them here
# would write gigabytes.
vm_make_scratch() {
  vm_scratch=$1
  truncate -s 8G "$vm_scratch"
  mkfs.ext4 -F -q -E lazy_itable_init=1,lazy_journal_init=1 "$vm_scratch"
}

vm_qemu_command() {
  local run=$1 cpu=$VM_CPU_TCG accel_opts=$accel$VM_TCG_OPTS
  [[ $accel == kvm ]] && cpu=$VM_CPU_KVM accel_opts=kvm
  # panic=-1 reboots at once on a panic and -no-reboot turns that into qemu's exit, so a guest
  # that dies ends the run instead of waiting for the deadline. A guest kernel that locks up
  # (every CPU spinning in the kernel: CI saw one spin for 30 minutes, the run's whole budget)
  # panics too: softlockup_panic, after watchdog_thresh * 2 = 60 s without scheduling, which
  # a vCPU thread of a loaded host does not reach; all CPUs' stacks go to the console first,
  # and loglevel=5 lets their KERN_DEFAULT lines through `quiet`.
  local cmdline="console=$VM_CONSOLE panic=-1 quiet loglevel=5"
  cmdline+=" softlockup_panic=1 watchdog_thresh=30 softlockup_all_cpu_backtrace=1"
  cmdline+="${append:+ $append}"
  vm_qemu=("$VM_QEMU" -name ptk-vm -nodefaults -no-user-config -display none -no-reboot
    "${VM_MACHINE[@]}" -accel "$accel_opts" -cpu "$cpu" -smp "$cpus" -m "$memory"
    -kernel "$VM_KERNEL_FILE" -initrd "$VM_INITRAMFS" -append "$cmdline"
    -serial stdio -pidfile "$vm_pidfile"
    # Flushes to the scratch disk would only slow it down: it is thrown away after the run.
    -drive "file=$vm_scratch,format=raw,if=none,id=scratch,cache=unsafe"
    -device "virtio-blk-$VM_VIRTIO_BUS,drive=scratch"
    # The host's / at the guest's /: the build tree's absolute paths are baked into it.
    -fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap"
    -device "virtio-9p-$VM_VIRTIO_BUS,fsdev=hostroot,mount_tag=hostroot"
    -fsdev "local,id=job,path=$run/job,security_model=none"
    -device "virtio-9p-$VM_VIRTIO_BUS,fsdev=job,mount_tag=job")
  [[ -n $VM_ROOT_IMAGE ]] || return 0
  # After the scratch disk, so the guest's /dev/vdb. Read-only, so runs share it and never
  # change it.
  local mode=readonly=on
  ((VM_ROOT_IMAGE_RW)) && mode=cache=unsafe,discard=unmap
  vm_qemu+=(-drive "file=$VM_ROOT_IMAGE,format=raw,if=none,id=root,$mode"
    -device "virtio-blk-$VM_VIRTIO_BUS,drive=root")
}

vm_run_qemu() {
  local run=$1 seconds=$2 log=$1/console.log con
  local -a vm_qemu
  trap vm_cleanup EXIT
  trap 'vm_interrupted INT 130' INT
  trap 'vm_interrupted TERM 143' TERM
  trap 'vm_interrupted HUP 129' HUP
  vm_make_scratch "$run/scratch.img"
  vm_pidfile=$run/qemu.pid
  vm_qemu_command "$run"

  # stdin is /dev/null, not a terminal: qemu would put a terminal in raw mode and take Ctrl-C.
  exec {con}> >(vm_console "$log")
  local console_pid=$!
  "${vm_qemu[@]}" </dev/null >&"$con" 2>&1 &
  vm_qemu_pid=$!
  exec {con}>&-

  # Poll with a builtin read that times out on a pipe nobody writes to: a signal's trap runs at
  # once, and no `sleep` child is left to be killed by the same signal (and reported by bash).
  local deadline=$((SECONDS + seconds)) nap
  exec {nap}<> <(:)
  while kill -0 "$vm_qemu_pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      vm_timed_out=1
      vm_stop_qemu
      break
    fi
    read -r -t 0.5 -u "$nap" _ || true
  done
  exec {nap}>&-
  vm_qemu_status=0
  wait "$vm_qemu_pid" 2>/dev/null || vm_qemu_status=$?
  vm_qemu_pid=
  vm_pidfile=
  # The console's last lines are written once qemu is gone.
  wait "$console_pid" 2>/dev/null || true
  rm -f "$vm_scratch"
}

# The console without the serial line's carriage returns, to the log and (unless quiet) here.
vm_console() {
  if ((quiet)); then
    sed -u 's/\r$//' >"$1"
  else
    sed -u 's/\r$//' | tee "$1"
  fi
}

# SIGTERM, then SIGKILL if qemu is still there after 5 s.
vm_stop_qemu() {
  local pid=$vm_qemu_pid i
  [[ -n $pid ]] || pid=$(vm_pidfile_pid)
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# The pid in qemu's pidfile, only while that process is still our qemu: for a signal that came
# between qemu's start and bash's $!.
vm_pidfile_pid() {
  local pid
  [[ -n $vm_pidfile && -f $vm_pidfile ]] || return 0
  pid=$(<"$vm_pidfile")
  [[ $pid =~ ^[0-9]+$ && $(cat "/proc/$pid/comm" 2>/dev/null) == qemu-system* ]] && echo "$pid"
  return 0
}

vm_cleanup() {
  vm_stop_qemu
  [[ -z $vm_qemu_pid ]] || wait "$vm_qemu_pid" 2>/dev/null || true
  [[ -z $vm_scratch ]] || rm -f "$vm_scratch"
}

vm_interrupted() {
  echo "vm-test.sh: interrupted by SIG$1; stopping the VM" >&2
  exit "$2"
}

# Keeps the newest KEEP run directories (logs and reports) of DIR.
vm_prune_runs() {
  local dir=$1 keep=$2
  local -a old
  mapfile -t old < <(find "$dir" -mindepth 1 -maxdepth 1 -name 'run-*' -printf '%T@ %p\n' |
    sort -rn | tail -n +"$keep" | cut -d' ' -f2-)
  ((${#old[@]} == 0)) || rm -rf -- "${old[@]}"
}
