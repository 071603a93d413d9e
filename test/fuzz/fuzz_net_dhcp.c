// SPDX-License-Identifier: MIT
/* The network stack under fuzzed frames while it runs DHCP (see fuzz_net.h). */
#define FUZZ_NET_OP OP_DHCP
#include "fuzz_net.h"
