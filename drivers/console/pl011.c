// SPDX-License-Identifier: MIT
/*
 * An SBSA/PL011 UART as a console, polled. Only the registers of the SBSA
 * subset are touched (data and flags): Xen's vpl011 emulates nothing else
 * and answers any other access with a data abort. Every access goes through
 * arch_mmio_read32/write32 (one 32-bit access each, as Xen needs them).
 *
 * Output waits for room in the transmit FIFO, bounded: after TX_STALL_MS
 * without room the rest is dropped and counted, and later writes look once
 * instead of waiting again (a UART nobody drains must not make every printf
 * take a second). Flushing waits for BUSY to clear, never for TXFE: Xen's
 * vpl011 with its backend in Xen clears TXFE on every write, and older
 * versions never set it again.
 */
#include <errno.h>
#include <pvboot/arch.h>
#include <pvboot/console.h>
#include <pvboot/pl011.h>
#include <pvboot/timer.h>

/* PL011/SBSA UART registers and flag bits (ARM DDI 0183, SBSA generic UART). */
#define UART_DR 0x00
#define UART_FR 0x18
#define FR_BUSY (1u << 3)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define DR_DATA 0xffu

#define TX_STALL_MS 1000
#define FLUSH_WAIT_MS 100

static struct {
	bool stalled;
	struct pl011_stats st;
} uart;

static uint32_t flags(void)
{
	return arch_mmio_read32(uart.st.base + UART_FR);
}

/* Room for a byte: at once, or after a bounded wait; false if there is none. */
static bool tx_room(void)
{
	uint64_t deadline;

	if (!(flags() & FR_TXFF)) {
		uart.stalled = false;
		return true;
	}
	if (uart.stalled)
		return false;
	deadline = deadline_ms(TX_STALL_MS);
	while (flags() & FR_TXFF) {
		if (deadline_passed(deadline)) {
			uart.stalled = true;
			return false;
		}
		arch_cpu_relax();
	}
	return true;
}

static void pl011_write(struct console_dev *dev, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!tx_room()) {
			uart.st.dropped += len - i;
			return;
		}
		arch_mmio_write32(uart.st.base + UART_DR, (unsigned char)buf[i]);
		uart.st.written++;
	}
}

static bool pl011_tstc(struct console_dev *dev)
{
	return !(flags() & FR_RXFE);
}

static int pl011_getc(struct console_dev *dev)
{
	if (flags() & FR_RXFE)
		return -EAGAIN;
	uart.st.read++;
	/* Bits 8-11 are the byte's error flags: the byte is what arrived either way. */
	return (int)(arch_mmio_read32(uart.st.base + UART_DR) & DR_DATA);
}

static void pl011_flush(struct console_dev *dev)
{
	uint64_t deadline = deadline_ms(FLUSH_WAIT_MS);

	while (!uart.stalled && (flags() & FR_BUSY) && !deadline_passed(deadline))
		arch_cpu_relax();
}

static struct console_dev pl011_dev = {
    .name = "pl011",
    .write = pl011_write,
    .tstc = pl011_tstc,
    .getc = pl011_getc,
    .flush = pl011_flush,
};

int pl011_console_init(uintptr_t base)
{
	if (!base)
		return -ENODEV;
	if (uart.st.base)
		return uart.st.base == base ? 0 : -EBUSY;
	uart.st.base = base;
	console_register(&pl011_dev);
	return 0;
}

int pl011_get_stats(struct pl011_stats *st)
{
	if (!uart.st.base)
		return -ENODEV;
	*st = uart.st;
	return 0;
}
