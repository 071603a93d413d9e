#!/bin/bash
# SPDX-License-Identifier: MIT
# The shell language in the real program: quoting, expansion, && || ;, $?,
# if/elif/else, for, while/until, hush locals, run, exit, syntax errors.
. "$(dirname "$0")/lib.sh"

sb -c "echo one; echo two"
expect_exact "one" "; runs the first command"
expect_exact "two" "; runs the second command"
expect_status 0

sb -c "setenv x 'a b'; echo [\$x] [\${x}] \"[\$x]\" '[\$x]' [\\\$x]"
expect_exact '[a b] [a b] [a b] [$x] [$x]' "quotes and escapes as in hush"

sb -c 'false && echo AND-RAN; true && echo AND-OK; false || echo OR-OK; true || echo OR-RAN'
expect_line '^AND-OK$' "&& runs after success"
expect_line '^OR-OK$' "|| runs after failure"
expect_no 'AND-RAN|OR-RAN' "&& and || skip when they should"

sb -c 'false; echo "st=$?"; true; echo "st=$?"'
expect_exact "st=1" '$? after false'
expect_exact "st=0" '$? after true'

sb -c 'nosuchcmd arg; echo "after=$?"'
expect_exact "Unknown command 'nosuchcmd' - try 'help'" "unknown command message, as U-Boot"
expect_exact "after=1" "unknown command fails, the script goes on"

sb -c 'if test 1 -eq 2; then echo no; elif test abc = abc; then echo ELIF; else echo no; fi'
expect_exact "ELIF" "if/elif/else"

sb -c 'setenv list "pvblock0 pvblock1 dhcp"; for t in ${list}; do echo "target $t"; done'
expect_count 3 '^target (pvblock0|pvblock1|dhcp)$' "for over a variable's words"

sb -c 'setenv n 3; while test $n -gt 0; do echo "n=$n"; if test $n = 3; then setenv n 2; elif test $n = 2; then setenv n 1; else setenv n 0; fi; done; echo done'
expect_count 3 '^n=[123]$' "while loop runs three times"
expect_exact "done" "while ends"

sb -c 'i=x; until test $i = xxx; do i=${i}x; echo $i; done'
expect_exact "xxx" "until with a hush local"

sb -c 'a=local; echo "a=$a"; printenv a'
expect_exact "a=local" "a=b sets a hush local"
expect_line '## Error: "a" not defined' "locals do not reach the environment"

sb -c "setenv greet 'echo hello from run; echo \$?'; run greet"
expect_exact "hello from run" "run executes a variable"

sb -c 'setenv s "echo in-s; exit; echo not-here"; run s; echo back'
expect_exact "in-s" "script in run"
expect_no "not-here" "exit leaves the script"
expect_exact "back" "exit only ends the inner script"

sb -c 'setenv loop "run loop"; run loop; echo never'
expect_line "nesting too deep" "run recursion is stopped"
expect_status 1 "run recursion fails"

sb -c 'echo before; if true; then echo x'
expect_line "^syntax error: " "unterminated if is a syntax error"
expect_status 1

sb -c 'echo a | cat'
expect_line "pipes are not supported" "pipes are refused clearly"

sb -c "echo 'unterminated"
expect_line "unterminated '" "unterminated quote reported"

sb -c "echo a # comment; echo b"
expect_exact "a" "comment"
expect_no "^b$" "comment runs to end of line"

sb -c 'test -z "" && test -n x && test ! -n "" && test a != b && test 2 -lt 10 && test b \> a && echo TEST-OK'
expect_exact "TEST-OK" "test operators"
sb -c 'test -z $unset && echo EMPTY-OK; test -n $unset || echo NONEMPTY-OK; test 1 -eq 1 -a 2 -eq 3 || echo AND-OK; test 1 -eq 2 -o 3 -eq 3 && echo OR-OK'
expect_exact "EMPTY-OK" "test -z on a vanished operand"
expect_exact "NONEMPTY-OK" "test -n on a vanished operand"
expect_exact "AND-OK" "test -a"
expect_exact "OR-OK" "test -o"
sb -c 'test 1 -eq'
expect_status 1 "incomplete test fails"

sb -c "true; false"
expect_status 1 "-c exits with the last status"

# A long generated script runs completely.
script=""
for i in $(seq 1 300); do script="$script setenv v$i $i;"; done
sb -c "$script printenv v300"
expect_exact "v300=300" "300-command script"

finish
