#!/bin/sh
# SPDX-License-Identifier: MIT
# Seeds for fuzz_printf: one input per conversion, with and without
# width/precision, so the fuzzer starts from every branch.
set -e
out=${1:?usage: corpus_printf.sh DIR}
mkdir -p "$out"
# bytes: bufsize conv flags wmode pmode [width] [prec] [len] value(8) string
for conv in 0 1 2 3 4 5 6 7 8 9; do
	printf "\\100\\$(printf %o $conv)\\000\\000\\000\\000\\377\\377\\377\\377\\377\\377\\377\\377hello" \
		>"$out/plain-$conv"
	printf "\\005\\$(printf %o $conv)\\037\\001\\001\\012\\005\\004\\200\\000\\000\\000\\000\\000\\000\\001str" \
		>"$out/wide-$conv"
	printf "\\377\\$(printf %o $conv)\\011\\002\\002\\375\\376\\003\\000\\000\\000\\000\\000\\000\\000\\000" \
		>"$out/star-$conv"
done
