// Decoders of the process family: exec, clone, wait, prctl, resource limits, scheduling,
// capabilities and ids (process_*.cpp). The rest of the family (exit, kill, getpid, setuid,
// umask, ...) is plain data in data/syscalls.txt.
#include "decoders/families.h"
#include "process_decoders.h"
#include "process_util.h"

namespace ptk::sys {
namespace {

using pfam::fresh;

constexpr DecoderEntry kDecoders[] = {
    {"arch_prctl", fresh<decode_arch_prctl>},
    {"capget", fresh<decode_capget>},
    {"capset", fresh<decode_capset>},
    {"clone", fresh<decode_clone>},
    {"clone3", fresh<decode_clone3>},
    {"execve", fresh<decode_execve>},
    {"execveat", fresh<decode_execveat>},
    {"get_robust_list", fresh<decode_get_robust_list>},
    {"getgroups", fresh<decode_getgroups>},
    {"getgroups32", fresh<decode_getgroups>},
    {"getpriority", fresh<decode_getpriority>},
    {"getresgid", fresh<decode_getresid>},
    {"getresgid32", fresh<decode_getresid>},
    {"getresuid", fresh<decode_getresid>},
    {"getresuid32", fresh<decode_getresid>},
    {"getrlimit", fresh<decode_getrlimit>},
    {"getrusage", fresh<decode_getrusage>},
    {"ioprio_get", fresh<decode_ioprio_get>},
    {"ioprio_set", fresh<decode_ioprio_set>},
    {"kcmp", fresh<decode_kcmp>},
    {"modify_ldt", fresh<decode_modify_ldt>},
    {"personality", fresh<decode_personality>},
    {"prctl", fresh<decode_prctl>},
    {"prlimit64", fresh<decode_prlimit64>},
    {"process_vm_readv", fresh<decode_process_vm_readv>},
    {"process_vm_writev", fresh<decode_process_vm_writev>},
    {"ptrace", fresh<decode_ptrace>},
    {"reboot", fresh<decode_reboot>},
    {"sched_get_priority_max", fresh<decode_sched_priority_limit>},
    {"sched_get_priority_min", fresh<decode_sched_priority_limit>},
    {"sched_getaffinity", fresh<decode_sched_getaffinity>},
    {"sched_getattr", fresh<decode_sched_getattr>},
    {"sched_getscheduler", fresh<decode_sched_getscheduler>},
    {"sched_setaffinity", fresh<decode_sched_setaffinity>},
    {"sched_setattr", fresh<decode_sched_setattr>},
    {"sched_setscheduler", fresh<decode_sched_setscheduler>},
    {"seccomp", fresh<decode_seccomp>},
    {"setgroups", fresh<decode_setgroups>},
    {"setgroups32", fresh<decode_setgroups>},
    {"sethostname", fresh<decode_sethostname>},
    {"setns", fresh<decode_setns>},
    {"setpriority", fresh<decode_setpriority>},
    {"setrlimit", fresh<decode_setrlimit>},
    {"syslog", fresh<decode_syslog>},
    {"sysinfo", fresh<decode_all_at_exit>},
    {"times", fresh<decode_all_at_exit>},
    {"ugetrlimit", fresh<decode_getrlimit>},
    {"uname", fresh<decode_all_at_exit>},
    {"unshare", fresh<decode_unshare>},
    {"wait4", fresh<decode_wait4>},
    {"waitid", fresh<decode_waitid>},
    {"waitpid", fresh<decode_waitpid>},
};

constexpr StructEntry kStructs[] = {
    {"aio_context", print_aio_context_struct},
    {"gid", print_uid_struct},
    {"gid16", print_uid16_struct},
    {"rlimit", print_rlimit_struct},
    {"rlimit64", print_rlimit64_struct},
    {"rusage", print_rusage_struct},
    {"sched_param", print_sched_param_struct},
    {"sysctl_args", print_sysctl_args},
    {"sysinfo", print_sysinfo_struct},
    {"tms", print_tms_struct},
    {"uid", print_uid_struct},
    {"uint", print_uint_struct},
    {"uid16", print_uid16_struct},
    {"user_desc", print_user_desc},
    {"utsname", print_utsname_struct},
};

}  // namespace

Family process_family() { return {kDecoders, kStructs}; }

}  // namespace ptk::sys
