#!/bin/bash
# SPDX-License-Identifier: MIT
# help lists every command (sorted, with a one-line usage) and every listed
# command has its own help text; unknown names are reported.
. "$(dirname "$0")/lib.sh"

sb -c "help"
expect_status 0 "help succeeds"
list=$TMP/list
# The command list: "name<spaces>- usage", after the banner.
grep -E '^[a-z0-9_]+ +- .+' "$OUT" | sed -E 's/ +- .*//' >"$list"
n=$(wc -l <"$list")
if [ "$n" -ge 25 ]; then ok "help lists $n commands"; else bad "help lists only $n commands"; fi
if sort -c "$list" 2>/dev/null; then ok "the list is sorted"; else bad "the list is not sorted"; fi
for c in help version bdinfo echo setenv printenv env run sleep test true false md mw cp cmp \
	crc32 time reset poweroff fdt bootstage; do
	if grep -qx "$c" "$list"; then ok "help lists $c"; else bad "help does not list $c"; fi
done

while read -r c; do
	sb -c "help $c"
	# U-Boot's layout: "name - usage", blank, "Usage:", "name <help>" (+ lines).
	usage=$(grep -A3 -E "^$c - .+" "$OUT")
	helptext=$(sed -n '/^Usage:$/,$p' "$OUT" | tail -n +2 | sed -E "1s/^$c ?//" | tr -d ' \n\t')
	if [ "$STATUS" = 0 ] && [ -n "$usage" ] && echo "$usage" | grep -qx "Usage:" &&
		[ -n "$helptext" ]; then
		ok "help $c: usage and help text"
	else
		bad "help $c: missing usage or help text"
	fi
done <"$list"

sb -c "help nosuchcmd"
expect_status 1 "help of an unknown command fails"
expect_line "Unknown command 'nosuchcmd' - try 'help' without arguments" "and says so"

sb -c "help echo version"
expect_line "^echo - " "help with two names: first"
expect_line "^version - " "help with two names: second"

# Abbreviations and size suffixes resolve as in U-Boot.
sb -c "vers"
expect_line "^pvboot [0-9]" "unique abbreviation runs the command"
sb -c "md.q \${kernel_addr_r} 1"
expect_line "^[0-9a-f]{8}: [0-9a-f]{16} " "size suffix selects the unit"

finish
