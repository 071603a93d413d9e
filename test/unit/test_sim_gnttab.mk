# SPDX-License-Identifier: MIT
test_sim_gnttab-srcs := arch/sandbox/sim/gnttab.c
