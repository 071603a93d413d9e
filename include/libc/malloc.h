/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
