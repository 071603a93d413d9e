#!/bin/bash
# SPDX-License-Identifier: MIT
# The line editor on the sandbox's PV console (stdin): prompt, backspace,
# cursor keys, Ctrl-A/E/U/K/C, history with the arrow keys.
. "$(dirname "$0")/lib.sh"

sb_script 'echo hello\n'
expect_line '^=> echo hello$' "prompt is '=> ' and the line is echoed"
expect_exact "hello" "typed command runs"
expect_status 0 "end of input ends the session cleanly"

sb_script 'echo abc\bd\n'
expect_exact "abd" "backspace (^H)"
sb_script 'echo abc\177\177xy\n'
expect_exact "axy" "DEL deletes backwards"
sb_script 'echo xz\033[DY\n'
expect_exact "xYz" "left arrow then insert"
sb_script 'echo 12345\033[D\033[D\033[D\033[C\033[3~\n'
expect_exact "1235" "left, right, Delete key (ESC [ 3 ~)"
sb_script 'cho hi\001e\n'
expect_exact "hi" "Ctrl-A then insert at the start"
sb_script 'echo ab\001\005c\n'
expect_exact "abc" "Ctrl-E goes back to the end"
sb_script 'echo 1 2 3\002\002\013\n'
expect_exact "1 2" "Ctrl-B twice then Ctrl-K kills to the end"
sb_script 'garbage typed\025echo clean\n'
expect_exact "clean" "Ctrl-U kills the line"
expect_no "Unknown command 'garbage" "the killed text never runs"

# Typed at the prompt (a Ctrl-C that arrives during start-up interrupts that instead).
abandon_line() {
	sleep 0.5
	printf 'echo never\003echo yes\n'
}
sb_feed abandon_line
expect_line "<INTERRUPT>" "Ctrl-C abandons the line, as U-Boot"
expect_no "^never$" "the abandoned line does not run"
expect_exact "yes" "the next line runs"

sb_script 'echo one\necho two\n\033[A\033[A\n\033[A\n'
expect_count 3 "^one$" "up twice recalls the older command, which then is the newest"
expect_count 1 "^two$" "'echo two' ran once"
sb_script 'echo first\necho second\n\020\020\016\n'
expect_count 2 "^second$" "Ctrl-P Ctrl-P Ctrl-N lands on the newest"
sb_script 'echo old\n\033[A\b\bne\n'
expect_exact "one" "a recalled line can be edited"

sb_script 'echo a\r\necho b\r\n'
expect_exact "a" "CR LF line endings"
expect_exact "b" "CR LF: second line"
expect_no "^=> =>" "CR LF does not give an extra empty line"

sb_script 'ech\t hi\n'
expect_line '^=> echo  hi$' "Tab completes a unique command name (and adds a space)"
expect_exact "hi" "the completed command runs"
sb_script 'ver\t\n'
expect_line '^pvboot [0-9]' "Tab: ver -> version"
sb_script 'p\t\003'
expect_line '^(p[a-z0-9_]+  )+p[a-z0-9_]+$' "ambiguous prefix: Tab lists the candidates"
expect_line '(^|  )poweroff  (p[a-z0-9_]+  )*printenv(  |$)' "the list has every match, sorted"

long=$(head -c 2000 /dev/zero | tr '\0' 'x')
sb_script "echo $long\necho after-long\n"
expect_exact "after-long" "an over-long line is cut, the shell goes on"

finish
