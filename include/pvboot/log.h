/* SPDX-License-Identifier: MIT */
/* Levelled messages. Before a console exists they are kept and replayed. */
#ifndef PVBOOT_LOG_H
#define PVBOOT_LOG_H

#include <pvboot/compiler.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

extern int log_level; /* messages above this level are dropped; default LOG_INFO */

__printf(2, 3) void log_msg(enum log_level level, const char *fmt, ...);

#define pr_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define pr_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
