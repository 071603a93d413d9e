# SPDX-License-Identifier: MIT
test_sandbox_handoff-srcs := arch/sandbox/handoff_check.c
