// SPDX-License-Identifier: MIT
/* The network stack under fuzzed frames while it runs HTTP (see fuzz_net.h). */
#define FUZZ_NET_OP OP_HTTP
#include "fuzz_net.h"
