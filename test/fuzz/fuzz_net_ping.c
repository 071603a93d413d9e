// SPDX-License-Identifier: MIT
/* The network stack under fuzzed frames while it runs PING (see fuzz_net.h). */
#define FUZZ_NET_OP OP_PING
#include "fuzz_net.h"
