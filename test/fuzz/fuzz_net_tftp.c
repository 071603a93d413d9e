// SPDX-License-Identifier: MIT
/* The network stack under fuzzed frames while it runs TFTP (see fuzz_net.h). */
#define FUZZ_NET_OP OP_TFTP
#include "fuzz_net.h"
