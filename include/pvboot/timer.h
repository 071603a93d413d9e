/* SPDX-License-Identifier: MIT */
/* Time from the arch counter. */
#ifndef PVBOOT_TIMER_H
#define PVBOOT_TIMER_H

#include <pvboot/compiler.h>

uint64_t timer_us(void);		     /* microseconds since an arbitrary origin */
uint64_t timer_ticks_to_us(uint64_t ticks);  /* an arch_counter() value in microseconds */
unsigned long get_timer(unsigned long base); /* ms since base (U-Boot semantics) */
void udelay(unsigned long us);
void mdelay(unsigned long ms);

/*
 * Bounded wait helper: true while the deadline has not passed and Ctrl-C has
 * not been pressed. Use as: deadline = deadline_ms(t); while (!done) { if
 * (!wait_continue(deadline)) return -ETIMEDOUT; arch_cpu_relax(); }
 */
uint64_t deadline_ms(unsigned long ms);
bool deadline_passed(uint64_t deadline);
/*
 * !deadline_passed(deadline) && !ctrlc(): the loop condition described
 * above (drivers/console/wait.c: it reads the console for Ctrl-C).
 */
bool wait_continue(uint64_t deadline);

/*
 * U-Boot's report for every long operation, with a newline:
 * "67108864 bytes read in 312 ms (205.1 MiB/s)". Integer arithmetic only.
 * format_rate()/format_size() in <pvboot/format.h> give the same text in a buffer.
 */
void print_rate(uint64_t bytes, uint64_t us);
/* The same, for a write: "N bytes written in ...". */
void print_write_rate(uint64_t bytes, uint64_t us);

#endif
