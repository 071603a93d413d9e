# SPDX-License-Identifier: MIT
test_sim_hypercall-srcs := arch/sandbox/sim/core.c arch/sandbox/sim/hypercall.c \
	arch/sandbox/sim/shared_info.c arch/sandbox/sim/evtchn.c arch/sandbox/sim/gnttab.c \
	arch/sandbox/sim/faults.c arch/sandbox/sim/disks.c arch/sandbox/sim/vifs.c arch/sandbox/sim/vcpu.c
