#!/usr/bin/env zsh
# usage: zsh_complete.zsh DIR LINE
# The candidates zsh's completion system is given for LINE (the cursor at its end), with DIR's
# _ptk first in $fpath, one a line: an interactive zsh in a pseudo-terminal (zsh/zpty) is sent
# LINE and a TAB, and a compadd wrapper reports every word it is handed, before zsh filters
# them. The shell then prints a marker, which ends the reading (no sleeps).
zmodload zsh/zpty || exit 2
zpty shell 'TERM=dumb zsh -f -i'
zpty -w shell "PROMPT='' ; fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w shell 'compadd () { local -a h; builtin compadd -O h "$@"; (( $#h )) && print -l -- "HIT "${^h} >&2; builtin compadd "$@"; }'
zpty -n -w shell "$2"$'\t'
zpty -w shell ''
zpty -w shell 'print END''MARK'
out=''
while zpty -r shell line; do
  out+=$line
  [[ $line == *ENDMARK* ]] && break
done
zpty -d shell
print -r -- "${out//$'\r'/}" | grep -aoE 'HIT [][A-Za-z0-9_=,!?./:-]+' | cut -c5- | sort -u
