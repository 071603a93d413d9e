// SPDX-License-Identifier: MIT
/*
 * Xen's emulated SBSA UART (vpl011) of a dom0less domain, which has no PV
 * console: --vpl011. As in Xen with the UART's backend in a domain, the
 * emulation sits on a console ring whose other end is the console backend
 * (consback.c, stdin/stdout), so the guest's bytes and the end of input are
 * handled as for the PV console. The guest no longer sees that ring
 * (HVM_PARAM_CONSOLE_PFN is 0) and reaches the UART only through
 * arch_mmio_read32/write32; a direct access faults (its page is mapped
 * PROT_NONE), and so does any register Xen does not emulate: a violation.
 */
#include "sim_internal.h"
#include <xen/io/console.h>

/* The SBSA generic UART's registers, the subset Xen's vpl011 emulates. */
#define UART_DR 0x00
#define UART_RSR 0x04
#define UART_FR 0x18
#define UART_IMSC 0x38
#define UART_RIS 0x3c
#define UART_MIS 0x40
#define UART_ICR 0x44
#define FR_BUSY (1u << 3)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_TXFE (1u << 7)

static bool enabled;
static uint32_t imsc;

void sim_vpl011_enable(void)
{
	enabled = true;
}

bool sim_vpl011_enabled(void)
{
	return enabled;
}

/* The register offset of addr, or -1 (and a violation) if the guest may not access it. */
static long reg_of(uint64_t addr, const char *what)
{
	uint64_t off = addr - SIM_VPL011_BASE;

	if (!enabled || addr < SIM_VPL011_BASE || off >= SIM_VPL011_SIZE) {
		sim_violation("MMIO %s at 0x%llx: no device there (a data abort on Xen)", what,
			      (unsigned long long)addr);
		return -1;
	}
	if (off % 4) {
		sim_violation("vpl011: unaligned %s at offset 0x%llx (a data abort on Xen)", what,
			      (unsigned long long)off);
		return -1;
	}
	switch (off) {
	case UART_DR:
	case UART_RSR:
	case UART_FR:
	case UART_IMSC:
	case UART_RIS:
	case UART_MIS:
	case UART_ICR:
		return (long)off;
	}
	sim_violation("vpl011: %s of register 0x%llx, which Xen does not emulate (a data abort)",
		      what, (unsigned long long)off);
	return -1;
}

static uint32_t flags(const struct xencons_interface *r)
{
	XENCONS_RING_IDX out_used = r->out_prod - __atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE);
	uint32_t fr = 0;

	if (__atomic_load_n(&r->in_prod, __ATOMIC_ACQUIRE) == r->in_cons)
		fr |= FR_RXFE;
	if (out_used >= sizeof(r->out))
		fr |= FR_TXFF;
	fr |= out_used ? FR_BUSY : FR_TXFE;
	return fr;
}

uint32_t sim_mmio_read32(uint64_t addr)
{
	struct xencons_interface *r = sim_console_ring();
	long reg = reg_of(addr, "read");
	uint32_t val = 0;

	if (reg == UART_FR) {
		val = flags(r);
	} else if (reg == UART_DR && !(flags(r) & FR_RXFE)) {
		val = (unsigned char)r->in[MASK_XENCONS_IDX(r->in_cons, r->in)];
		__atomic_store_n(&r->in_cons, r->in_cons + 1, __ATOMIC_RELEASE);
		sim_note_activity();
	} else if (reg == UART_IMSC) {
		val = imsc;
	}
	return val;
}

void sim_mmio_write32(uint64_t addr, uint32_t val)
{
	struct xencons_interface *r = sim_console_ring();
	long reg = reg_of(addr, "write");

	if (reg == UART_IMSC)
		imsc = val;
	if (reg != UART_DR)
		return;
	if (flags(r) & FR_TXFF) {
		/* A UART drops it too; a driver must look at TXFF first. */
		sim_violation("vpl011: byte written while the transmit FIFO is full (lost)");
		return;
	}
	r->out[MASK_XENCONS_IDX(r->out_prod, r->out)] = (char)val;
	__atomic_store_n(&r->out_prod, r->out_prod + 1, __ATOMIC_RELEASE);
	sim_note_activity();
}
