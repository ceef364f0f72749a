#!/usr/bin/env zsh
# usage: zsh_complete.zsh DIR LINE
# The candidates zsh's completion system is given for LINE (the cursor at its end), with DIR's
# _ptk first in $fpath, one a line: an interactive zsh in a pseudo-terminal (zsh/zpty) gets LINE
# and a key bound to completion, and a compadd wrapper reports every word it is handed, before
# zsh filters them. Each step waits for the shell's answer (its prompt, or a marker the
# completion key prints when done): zsh may drop input sent before its line editor is ready.
zmodload zsh/zpty || exit 2
zpty shell 'PS1="<ready>" TERM=dumb zsh -f -i'
zpty -r shell out '*<ready>*' || exit 2
zpty -w shell "fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
zpty -r shell out '*<ready>*' || exit 2
zpty -w shell 'compadd () { local -a h; builtin compadd -O h "$@"; (( $#h )) && print -l -- "HIT "${^h} >&2; builtin compadd "$@"; }'
zpty -r shell out '*<ready>*' || exit 2
zpty -w shell '_ptk_test_complete() { zle complete-word; print -u2 "<comp""leted>"; }; zle -N _ptk_test_complete; bindkey "^T" _ptk_test_complete'
zpty -r shell out '*<ready>*' || exit 2
zpty -n -w shell "$2"$'\x14'
zpty -r shell out '*<completed>*' || exit 2
zpty -d shell
print -r -- "${out//$'\r'/}" | grep -aoE 'HIT [][A-Za-z0-9_=,!?./:-]+' | cut -c5- | sort -u
