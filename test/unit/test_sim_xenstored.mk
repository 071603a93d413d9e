# SPDX-License-Identifier: MIT
test_sim_xenstored-srcs := arch/sandbox/sim/xenstored.c arch/sandbox/sim/xs_ring.c arch/sandbox/sim/xs_tree.c arch/sandbox/sim/faults.c
