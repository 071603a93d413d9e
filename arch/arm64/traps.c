// SPDX-License-Identifier: MIT
/*
 * Fatal exception and error reports. The report goes to the normal console
 * if it is up, else straight onto the PV console ring (earlycon.c), so a
 * fault before the console exists is still seen; then the domain is shut
 * down as crashed instead of hanging. Built without stack protector and
 * without pointer tables, so that it also works before relocation.
 */
#include <pvboot/arch.h>
#include <pvboot/board.h>
#include <pvboot/console.h>
#include "arm64.h"

bool arch_relocated; /* set once the running image's pointers are valid */
static int depth;    /* nested faults while reporting */
static bool via_console;

static void out(const char *s, size_t n)
{
	if (via_console)
		console_write(s, n);
	else
		earlycon_write(s, n);
}

static void puts_(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	out(s, n);
}

static void hex(uint64_t v)
{
	char b[18] = "0x";

	for (int i = 0; i < 16; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	out(b, sizeof(b));
}

static void field(const char *name, uint64_t v)
{
	puts_(name);
	hex(v);
}

/* Pick the sink: the real console when it is up, the raw ring otherwise. */
static void report_begin(void)
{
	via_console = false;
	if (arch_relocated && depth == 1 && console_ready()) {
		via_console = true;
		console_flush();
	} else {
		earlycon_init();
	}
	puts_("\n*** pvboot: ");
}

static __noreturn void report_end(void)
{
	uintptr_t base = (uintptr_t)__image_start;

	field("\n    running at ", base);
	puts_(" (subtract from ELR/LR/PC to look addresses up in pvboot.map)\n");
	puts_("*** domain crashed\n");
	if (via_console)
		console_flush();
	if (!earlycon_init())
		earlycon_drain(); /* let xenconsoled read it before the domain is gone */
	xen_crash_domain();
}

static const struct {
	uint8_t ec;
	char name[31];
} ec_names[] = {
    {0x00, "unknown instruction"},
    {0x01, "WFI/WFE"},
    {0x07, "FP/SIMD access"},
    {0x0e, "illegal execution state"},
    {0x15, "SVC"},
    {0x16, "HVC"},
    {0x17, "SMC"},
    {0x18, "system register access"},
    {0x20, "instruction abort (lower EL)"},
    {0x21, "instruction abort"},
    {0x22, "PC alignment fault"},
    {0x24, "data abort (lower EL)"},
    {0x25, "data abort"},
    {0x26, "SP alignment fault"},
    {0x2c, "floating-point exception"},
    {0x2f, "SError"},
    {0x31, "breakpoint"},
    {0x33, "software step"},
    {0x35, "watchpoint"},
    {0x3c, "BRK instruction"},
};

static const char kinds[4][8] = {"sync", "IRQ", "FIQ", "SError"};

static void print_class(uint64_t esr, unsigned long vector)
{
	unsigned int ec = (esr >> 26) & 0x3f;

	puts_(kinds[vector & 3]);
	puts_(" exception");
	if ((vector & 3) != 0)
		return;
	puts_(": ");
	for (size_t i = 0; i < ARRAY_SIZE(ec_names); i++) {
		if (ec_names[i].ec == ec) {
			puts_(ec_names[i].name);
			return;
		}
	}
	field("EC ", ec);
}

/* Instruction/data aborts: what kind of fault, from ESR.ISS.DFSC/IFSC. */
static void print_abort(const struct trap_frame *f)
{
	static const char levels[4][8] = {"level 0", "level 1", "level 2", "level 3"};
	unsigned int ec = (f->esr >> 26) & 0x3f, fsc = f->esr & 0x3f;
	const char *what = NULL;

	if (ec != 0x20 && ec != 0x21 && ec != 0x24 && ec != 0x25)
		return;
	switch (fsc & 0x3c) {
	case 0x00:
		what = "address size fault (or injected by Xen), ";
		break;
	case 0x04:
		what = "translation fault (address not mapped), ";
		break;
	case 0x08:
		what = "access flag fault, ";
		break;
	case 0x0c:
		what = "permission fault, ";
		break;
	}
	puts_("\n    ");
	if (what) {
		puts_(what);
		puts_(levels[fsc & 3]);
	} else if (fsc == 0x21) {
		puts_("alignment fault");
	} else if (fsc == 0x10) {
		puts_("synchronous external abort");
	} else {
		field("fault status ", fsc);
	}
	if (ec == 0x24 || ec == 0x25)
		puts_(f->esr & (1 << 6) ? " on write" : " on read");
	if (arch_relocated && board.stack_base && f->far < board.stack_base &&
	    f->far >= board.stack_base - PAGE_SIZE) {
		puts_("\n    in the stack guard page");
		if (f->sp < board.stack_base + PAGE_SIZE)
			puts_(": STACK OVERFLOW");
	}
}

__noreturn void trap_handler(struct trap_frame *f, unsigned long vector)
{
	if (++depth > 2)
		xen_crash_domain(); /* faulting while reporting a fault: just stop */
	if (vector >= 4 && vector < 8)
		f->sp = (uintptr_t)(f + 1); /* taken on the exception stack itself */
	report_begin();
	if (depth > 1)
		puts_("(while reporting another) ");
	print_class(f->esr, vector);
	field("\n    ESR ", f->esr);
	field("  FAR ", f->far);
	field("\n    ELR ", f->elr);
	field("  SPSR ", f->spsr);
	print_abort(f);
	for (int i = 0; i < 31; i++) {
		char name[8] = {'\n', ' ', ' ', ' ', ' ', 'x', '0', ' '};

		if (i % 3) {
			name[0] = name[1] = name[2] = name[3] = ' ';
		}
		name[6] = (char)('0' + i / 10);
		name[7] = (char)('0' + i % 10);
		out(name, sizeof(name));
		puts_(" ");
		hex(f->x[i]);
	}
	field("  sp  ", f->sp);
	report_end();
}

__noreturn void arch_fatal(const char *what, uint64_t value)
{
	depth++;
	report_begin();
	puts_("fatal: ");
	puts_(what);
	field(" ", value);
	report_end();
}
