// SPDX-License-Identifier: MIT
/*
 * The SBSA/PL011 UART console driver against a fake register block that
 * behaves like Xen's vpl011: a transmit FIFO that may stop draining, a
 * receive FIFO, BUSY and TXFE as Xen sets them, and a data abort (a test
 * failure) for any register outside the SBSA subset or an access that is not
 * at the UART.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <pvboot/arch.h>
#include <pvboot/console.h>
#include <pvboot/pl011.h>
#include <pvboot/timer.h>

#define BASE 0x22000000u
#define DR 0x00
#define FR 0x18
#define FR_BUSY (1u << 3)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_TXFE (1u << 7)
#define TX_FIFO 16

static struct console_dev *dev;
static uint64_t now_ms;
static char out[4096]; /* what left the UART */
static size_t out_len, tx_fill;
static bool tx_draining, tx_slow, busy_stuck;
static uint64_t drained_at;
static const char *rx;
static size_t rx_pos;
static unsigned int accesses;

/* ---- the fake UART ------------------------------------------------------ */
static unsigned int reg(uintptr_t addr)
{
	accesses++;
	if (addr != BASE + DR && addr != BASE + FR)
		fail_msg("access at %#lx: not DR or FR of the UART (a data abort on Xen)",
			 (unsigned long)addr);
	return (unsigned int)(addr - BASE);
}

/* What a draining backend took since the last look. */
static void drain(void)
{
	if (tx_draining || (tx_slow && now_ms > drained_at)) {
		tx_fill = 0;
		drained_at = now_ms;
	}
}

uint32_t arch_mmio_read32(uintptr_t addr)
{
	uint32_t fr = 0;

	if (reg(addr) == DR) {
		if (!rx || !rx[rx_pos])
			fail_msg("DR read with the receive FIFO empty");
		return 0x100 | (unsigned char)rx[rx_pos++]; /* with a framing-error bit */
	}
	drain();
	if (!rx || !rx[rx_pos])
		fr |= FR_RXFE;
	if (tx_fill == TX_FIFO)
		fr |= FR_TXFF;
	if (tx_fill || busy_stuck)
		fr |= FR_BUSY;
	/* Like Xen's vpl011 (older versions): TXFE is never set once written to. */
	return fr;
}

void arch_mmio_write32(uintptr_t addr, uint32_t val)
{
	if (reg(addr) != DR)
		fail_msg("write to FR");
	if (tx_fill == TX_FIFO)
		fail_msg("byte written with the transmit FIFO full");
	tx_fill++;
	out[out_len++] = (char)val;
}

/* ---- platform ----------------------------------------------------------- */
void console_register(struct console_dev *d)
{
	dev = d;
}
uint64_t deadline_ms(unsigned long ms)
{
	return now_ms + ms;
}
bool deadline_passed(uint64_t deadline)
{
	return now_ms >= deadline;
}
void arch_cpu_relax(void)
{
	now_ms++;
}

static int setup(void **state)
{
	static bool registered;

	now_ms = 1000;
	out_len = tx_fill = 0;
	tx_draining = true;
	tx_slow = busy_stuck = false;
	drained_at = 0;
	rx = NULL;
	rx_pos = 0;
	accesses = 0;
	if (!registered) {
		assert_int_equal(pl011_console_init(BASE), 0);
		registered = true;
	}
	assert_non_null(dev);
	/* Leave any stall of an earlier test behind: a drained FIFO clears it. */
	dev->write(dev, "", 0);
	return 0;
}

static void write_str(const char *s)
{
	dev->write(dev, s, strlen(s));
}

/* ---- tests -------------------------------------------------------------- */
static void test_init(void **state)
{
	struct pl011_stats st;

	assert_int_equal(pl011_console_init(0), -ENODEV);
	assert_int_equal(pl011_console_init(BASE), 0); /* again, same UART: fine */
	assert_int_equal(pl011_console_init(BASE + 0x1000), -EBUSY);
	assert_int_equal(pl011_get_stats(&st), 0);
	assert_int_equal(st.base, BASE);
}

static void test_output_in_order(void **state)
{
	write_str("pvboot\r\n");
	write_str("=> ");
	assert_int_equal(out_len, 11);
	assert_memory_equal(out, "pvboot\r\n=> ", 11);
	assert_int_equal(now_ms, 1000); /* a draining UART: no waiting */
}

/* Waits for room while the backend drains slowly, without losing a byte. */
static void test_output_waits_for_room(void **state)
{
	char line[64];

	memset(line, 'x', sizeof(line));
	/* A FIFO at a time, and only once time has moved: the driver must wait, not drop. */
	tx_draining = false;
	tx_slow = true;
	drained_at = now_ms;
	dev->write(dev, line, sizeof(line));
	assert_int_equal(out_len, sizeof(line));
	assert_true(now_ms - 1000 >= sizeof(line) / TX_FIFO - 1);
}

static void test_stalled_output_is_bounded(void **state)
{
	struct pl011_stats before, after;
	char big[100];
	uint64_t t0;

	memset(big, 'y', sizeof(big));
	pl011_get_stats(&before);
	tx_draining = false;
	t0 = now_ms;
	dev->write(dev, big, sizeof(big));
	/* One bounded wait, then the rest is dropped and counted. */
	assert_true(now_ms - t0 >= 1000 && now_ms - t0 <= 1001);
	assert_int_equal(out_len, TX_FIFO);
	pl011_get_stats(&after);
	assert_int_equal(after.dropped - before.dropped, sizeof(big) - TX_FIFO);
	/* Still stalled: the next write looks once, it does not wait again. */
	t0 = now_ms;
	write_str("more");
	assert_int_equal(now_ms, t0);
	dev->flush(dev); /* nor does flushing */
	assert_int_equal(now_ms, t0);
	/* The backend drains again: output resumes. */
	tx_draining = true;
	write_str("ok");
	assert_memory_equal(out + out_len - 2, "ok", 2);
}

static void test_flush_is_bounded_and_ignores_txfe(void **state)
{
	uint64_t t0 = now_ms;

	write_str("abc");
	dev->flush(dev); /* drained, BUSY clear: at once, although TXFE never comes */
	assert_int_equal(now_ms, t0);
	busy_stuck = true;
	dev->flush(dev);
	assert_true(now_ms - t0 >= 100 && now_ms - t0 <= 101);
}

static void test_input(void **state)
{
	struct pl011_stats before, after;

	pl011_get_stats(&before);
	assert_false(dev->tstc(dev));
	assert_int_equal(dev->getc(dev), -EAGAIN);
	rx = "ls\x03";
	assert_true(dev->tstc(dev));
	assert_int_equal(dev->getc(dev), 'l'); /* the error bits are not part of the byte */
	assert_int_equal(dev->getc(dev), 's');
	assert_int_equal(dev->getc(dev), 0x03);
	assert_false(dev->tstc(dev));
	assert_int_equal(dev->getc(dev), -EAGAIN);
	pl011_get_stats(&after);
	assert_int_equal(after.read - before.read, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_init, setup),
	    cmocka_unit_test_setup(test_output_in_order, setup),
	    cmocka_unit_test_setup(test_output_waits_for_room, setup),
	    cmocka_unit_test_setup(test_stalled_output_is_bounded, setup),
	    cmocka_unit_test_setup(test_flush_is_bounded_and_ignores_txfe, setup),
	    cmocka_unit_test_setup(test_input, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
