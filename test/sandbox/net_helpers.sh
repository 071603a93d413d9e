# SPDX-License-Identifier: MIT
# Helpers for the t_net_*.sh sandbox tests (sourced, not run): a directory
# served by the simulated server (--vif DIR), files of seeded random bytes,
# and what pvboot must print (crc32 compared with the host's zlib).
. "$(dirname "${BASH_SOURCE[0]}")/pvblock_helpers.sh"

SRV=$TMP/srv
mkdir -p "$SRV"

# mkfile NAME BYTES SEED: a file of pseudo-random bytes in the served directory.
mkfile() {
	python3 -c "import random,sys; r=random.Random($3); open(sys.argv[1],'wb').write(r.randbytes($2))" "$SRV/$1"
}

# net OUT ARGS...: the sandbox with one vif serving $SRV (more sandbox options may
# follow); the transcript without the console's carriage returns.
net() {
	local out=$1
	shift
	sb_to "$out" --vif "$SRV" "$@"
	sed -i 's/\r$//' "$out"
}

# netsb OUT ARGS...: the same with the options as given (no vif added).
netsb() {
	local out=$1
	shift
	sb_to "$out" "$@"
	sed -i 's/\r$//' "$out"
}
