# SPDX-License-Identifier: MIT
test_sim_evtchn-srcs := arch/sandbox/sim/evtchn.c
