#!/usr/bin/env bash
# The shell completions the build made (build/.../src/cli/completion): bash's is sourced and its
# function run on command lines as bash's readline would pass them; fish's answers
# `complete -C`; zsh's runs in an interactive zsh in a pseudo-terminal (zsh_complete.zsh).
# usage: completion.sh COMPLETION_DIR
set -euo pipefail
dir=$1
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# bash_reply LINE WORD...: runs _ptk for LINE (the cursor at its end), with COMP_WORDS as bash
# splits LINE (the WORDs: '=' and ':' are words of their own); prints COMPREPLY, one a line.
bash_reply() {
  local line=$1
  shift
  bash -c '
    source "$1"
    COMP_LINE=$2 COMP_POINT=${#2}
    shift 2
    COMP_WORDS=("$@") COMP_CWORD=$(($# - 1))
    _ptk ptk "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}"' bash "$dir/ptk.bash" "$line" "$@"
}

# expect SHELL LINE WANT REPLY: WANT must be one whole line of REPLY.
expect() {
  if ! grep -qxF -- "$3" <<<"$4"; then
    fail "$1: completing '$2' does not offer '$3'; it offers: $(head -c 300 <<<"$4" | tr '\n' ' ')"
  fi
}

# bash
registered=$(bash -c 'source "$1" && complete -p ptk' bash "$dir/ptk.bash") ||
  fail "bash: sourcing ptk.bash failed"
[[ $registered == "complete -F _ptk ptk" ]] || fail "bash: complete -p ptk says '$registered'"
expect bash "ptk tr" trace "$(bash_reply 'ptk tr' ptk tr)"
expect bash "ptk " calls "$(bash_reply 'ptk ' ptk '')"
expect bash "ptk trace -e trace=ope" openat \
  "$(bash_reply 'ptk trace -e trace=ope' ptk trace -e trace = ope)"
expect bash "ptk trace -e trace=read,wri" read,write \
  "$(bash_reply 'ptk trace -e trace=read,wri' ptk trace -e trace = read,wri)"
expect bash "ptk trace --trace=!clo" '!close' \
  "$(bash_reply 'ptk trace --trace=!clo' ptk trace --trace = '!clo')"
expect bash "ptk trace -e " signal= "$(bash_reply 'ptk trace -e ' ptk trace -e '')"
expect bash "ptk trace -e signal=SIGT" SIGTERM \
  "$(bash_reply 'ptk trace -e signal=SIGT' ptk trace -e signal = SIGT)"
expect bash "ptk step --" --profile "$(bash_reply 'ptk step --' ptk step --)"
expect bash "ptk step --" --from-syscall "$(bash_reply 'ptk step --' ptk step --)"
expect bash "ptk trace --sec" --seccomp-bpf "$(bash_reply 'ptk trace --sec' ptk trace --sec)"
expect bash "ptk step --from-syscall wri" write \
  "$(bash_reply 'ptk step --from-syscall wri' ptk step --from-syscall wri)"
# The pid of a process that runs meanwhile: this script's own.
expect bash "ptk trace -p " $$ "$(bash_reply 'ptk trace -p ' ptk trace -p '')"
expect bash "ptk break -p " $$ "$(bash_reply 'ptk break -p ' ptk break -p '')"
expect bash "ptk regs " $$ "$(bash_reply 'ptk regs ' ptk regs '')"
expect bash "ptk host " i386 "$(bash_reply 'ptk host ' ptk host '')"
# The command ptk runs: after --, and at trace's first word that is no option (-s takes 64).
expect bash "ptk step -- tru" true "$(bash_reply 'ptk step -- tru' ptk step -- tru)"
expect bash "ptk trace -f -s 64 tru" true \
  "$(bash_reply 'ptk trace -f -s 64 tru' ptk trace -f -s 64 tru)"
hidden=$(bash_reply 'ptk comp' ptk comp)
[[ -z $hidden ]] || fail "bash: the hidden completion subcommand is offered: $hidden"

# fish
if [[ -f $dir/ptk.fish ]]; then
  # shellcheck disable=SC2016 # $argv is fish's, expanded by fish
  fish_reply() { fish --no-config -c 'source $argv[1]; complete -C$argv[2]' "$dir/ptk.fish" "$1" |
    cut -f1; }
  expect fish "ptk tr" trace "$(fish_reply 'ptk tr')"
  expect fish "ptk trace -e trace=ope" trace=openat "$(fish_reply 'ptk trace -e trace=ope')"
  expect fish "ptk trace --signal=SIGT" --signal=SIGTERM "$(fish_reply 'ptk trace --signal=SIGT')"
  expect fish "ptk step --" --profile "$(fish_reply 'ptk step --')"
  expect fish "ptk step -- tru" true "$(fish_reply 'ptk step -- tru')"
  after=$(fish_reply 'ptk step -- --pro')
  [[ $after != *--profile* ]] || fail "fish: the options of step are offered after --"
else
  fail "fish: no $dir/ptk.fish"
fi

# zsh: the words its completion system is handed (zsh filters them by the prefix after).
zsh -n "$dir/_ptk" || fail "zsh: _ptk does not parse"
zsh_reply() { timeout 20 zsh -f "$(dirname "$0")/zsh_complete.zsh" "$dir" "$1"; }
expect zsh "ptk tr" trace "$(zsh_reply 'ptk tr')"
expect zsh "ptk trace -e trace=ope" openat "$(zsh_reply 'ptk trace -e trace=ope')"
expect zsh "ptk trace -etrace=!clos" close "$(zsh_reply 'ptk trace -etrace=!clos')"
expect zsh "ptk trace --signal=SIGT" SIGTERM "$(zsh_reply 'ptk trace --signal=SIGT')"
expect zsh "ptk step --pro" --profile "$(zsh_reply 'ptk step --pro')"
expect zsh "ptk host " i386 "$(zsh_reply 'ptk host ')"
expect zsh "ptk step -- tru" true "$(zsh_reply 'ptk step -- tru')"

((failures == 0)) || exit 1
echo "ok: bash, fish and zsh completions"
