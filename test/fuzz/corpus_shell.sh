#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpus for fuzz_shell: the shapes of real U-Boot scripts.
set -e
out=${1:?usage: corpus_shell.sh DIR}
mkdir -p "$out"
printf 'echo hello; setenv a "b c"; echo $a ${a} "$a" '"'"'$a'"'"'\n' >"$out/quote"
printf 'if test a = a; then echo y; elif false; then echo n; else echo z; fi\n' >"$out/if"
printf 'for t in ${boot_targets}; do run bootcmd_${t}; done\n' >"$out/for"
printf 'x=1; while test $x; do x=; done; until true; do false; done\n' >"$out/while"
printf 'false || echo $? && true; exit 3\n' >"$out/status"
printf 'run distro_bootcmd\n# comment\necho a\\\n b\r\n' >"$out/run"
printf 'import "a=1\nb=2\n#c\n"; setenv r "run r"; run r\n' >"$out/import"
