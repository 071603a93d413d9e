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

# fake_image FILE: an arm64 Image header (2 MiB, image_size 3 MiB) and random bytes,
# all the sandbox can "boot".
fake_image() {
	python3 - "$1" <<'PY'
import os, struct, sys
size = 0x200000
hdr = struct.pack('<IIQQQQQQII', 0x14000010, 0, 0, 0x300000, 0xa, 0, 0, 0, 0x644d5241, 0x40)
coff = b'PE\0\0' + struct.pack('<HHIIIHH', 0xaa64, 1, 0, 0, 0, 0, 0x206)
sect = struct.pack('<8sIIIIIIHHI', b'.text', size - 0x1000, 0x1000, size - 0x1000, 0x1000, 0, 0, 0, 0, 0)
head = hdr + coff + sect
open(sys.argv[1], 'wb').write(head + os.urandom(size - len(head)))
PY
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
