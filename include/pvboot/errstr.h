/* SPDX-License-Identifier: MIT */
#ifndef PVBOOT_ERRSTR_H
#define PVBOOT_ERRSTR_H

/* Short text for a (negative or positive) errno value, e.g. "timed out". */
const char *errno_str(int err);

#endif
