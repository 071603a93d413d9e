// SPDX-License-Identifier: MIT
/*
 * Time from the arch counter. Conversions split the counter into whole
 * seconds and a remainder so that ticks * 1e6 never overflows 64 bits.
 */
#include <stdio.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/format.h>
#include <pvboot/timer.h>

static uint64_t ticks_to_us(uint64_t ticks, uint64_t freq)
{
	return ticks / freq * 1000000 + ticks % freq * 1000000 / freq;
}

uint64_t timer_ticks_to_us(uint64_t ticks)
{
	uint64_t freq = arch_counter_freq();

	return freq ? ticks_to_us(ticks, freq) : 0;
}

uint64_t timer_us(void)
{
	return timer_ticks_to_us(arch_counter());
}

unsigned long get_timer(unsigned long base)
{
	return (unsigned long)(timer_us() / 1000) - base;
}

void udelay(unsigned long us)
{
	uint64_t end = timer_us() + us;

	while (timer_us() < end)
		arch_cpu_relax();
}

void mdelay(unsigned long ms)
{
	udelay(ms * 1000);
}

uint64_t deadline_ms(unsigned long ms)
{
	return timer_us() + (uint64_t)ms * 1000;
}

bool deadline_passed(uint64_t deadline)
{
	return timer_us() >= deadline;
}

void print_rate(uint64_t bytes, uint64_t us)
{
	char line[96];

	format_rate(line, sizeof(line), bytes, us);
	printf("%s\n", line);
}

void print_write_rate(uint64_t bytes, uint64_t us)
{
	char line[112], *p;

	format_rate(line, sizeof(line), bytes, us);
	p = strstr(line, " bytes read in ");
	if (p)
		printf("%.*s bytes written in %s\n", (int)(p - line), line,
		       p + strlen(" bytes read in "));
	else
		printf("%s\n", line);
}
