// SPDX-License-Identifier: MIT
/*
 * common/console.c, drivers/console/input.c and common/log.c with fake console devices: the early
 * buffer and its replay (and overflow marker), "\n" -> "\r\n", several
 * devices, output from inside a device, and the Ctrl-C check that must not
 * lose typed bytes.
 *
 * console.c and input.c are included (not linked) so each test can start
 * from a fresh console: their state is file-static by design.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <pvboot/log.h>

#include "../../common/console.c"
#include "../../drivers/console/input.c"

struct fake {
	struct console_dev dev;
	char out[8192];
	size_t out_len;
	unsigned int writes;
	const char *in; /* bytes the "user" types */
	size_t in_len, in_pos;
	size_t in_visible;  /* how many of them have arrived so far */
	const char *nested; /* printed from inside write(), once */
};

static struct fake fa, fb;

/* The counter console_first_output() reports: advanced by the test. */
static uint64_t counter;

uint64_t arch_counter(void)
{
	return counter;
}
static unsigned int relax_calls;
static struct fake *relax_feeds; /* a byte arrives on every 3rd relax */

void arch_cpu_relax(void)
{
	relax_calls++;
	if (relax_feeds && relax_calls % 3 == 0 && relax_feeds->in_visible < relax_feeds->in_len)
		relax_feeds->in_visible++;
}

static struct fake *to_fake(struct console_dev *dev)
{
	return container_of(dev, struct fake, dev);
}

static void fake_write(struct console_dev *dev, const char *buf, size_t len)
{
	struct fake *f = to_fake(dev);
	const char *nested = f->nested;

	assert_true(f->out_len + len <= sizeof(f->out));
	memcpy(f->out + f->out_len, buf, len);
	f->out_len += len;
	f->writes++;
	if (nested) {
		f->nested = NULL;
		console_puts(nested);
	}
}

static bool fake_tstc(struct console_dev *dev)
{
	struct fake *f = to_fake(dev);

	return f->in_pos < f->in_visible;
}

static int fake_getc(struct console_dev *dev)
{
	struct fake *f = to_fake(dev);

	assert_true(f->in_pos < f->in_visible); /* only after tstc() said so */
	return (unsigned char)f->in[f->in_pos++];
}

static void fake_init(struct fake *f, const char *name)
{
	memset(f, 0, sizeof(*f));
	f->dev.name = name;
	f->dev.write = fake_write;
	f->dev.tstc = fake_tstc;
	f->dev.getc = fake_getc;
}

static void fake_type(struct fake *f, const char *s, size_t len)
{
	f->in = s;
	f->in_len = len;
	f->in_visible = len;
	f->in_pos = 0;
}

static void assert_output(const struct fake *f, const char *expect)
{
	size_t n = strlen(expect);

	if (f->out_len != n || memcmp(f->out, expect, n)) {
		print_error("got %zu bytes: \"%.*s\"\n", f->out_len, (int)f->out_len, f->out);
		fail_msg("expected \"%s\"", expect);
	}
}

/* A fresh console, as at boot. */
static int reset(void **state)
{
	devices = NULL;
	early_len = 0;
	early_lost = 0;
	inq_head = 0;
	inq_count = 0;
	in_output = false;
	first_byte_out = false;
	first_byte_ticks = 0;
	early_held = false;
	counter = 0;
	log_level = LOG_INFO;
	relax_calls = 0;
	relax_feeds = NULL;
	fake_init(&fa, "fa");
	fake_init(&fb, "fb");
	return 0;
}

static void test_early_replay(void **state)
{
	console_puts("early 1\n");
	pr_err("no /memory node (%d)\n", -2);
	pr_info("info\n");
	console_register(&fa.dev);
	assert_output(&fa, "early 1\r\nERROR: no /memory node (-2)\r\ninfo\r\n");
	/* Replayed once only. */
	early_log_flush();
	console_puts("after\n");
	assert_output(&fa, "early 1\r\nERROR: no /memory node (-2)\r\ninfo\r\nafter\r\n");
	/* A second device does not get the replay again. */
	console_register(&fb.dev);
	assert_output(&fb, "");
}

/*
 * For bootstage's "first console byte": when output first reaches a device
 * (not when it is kept in the early buffer), fixed once, whatever comes after.
 */
static void test_first_output_time(void **state)
{
	uint64_t ticks = 12345;

	counter = 100;
	console_puts("kept early\n");
	assert_false(console_first_output(&ticks));
	assert_int_equal(ticks, 12345); /* untouched */
	early_log_hold();
	counter = 200;
	console_register(&fa.dev);
	assert_false(console_first_output(&ticks)); /* held: nothing reached fa yet */
	counter = 300;
	console_puts("\nbanner\n");
	assert_true(console_first_output(&ticks));
	assert_int_equal(ticks, 300);
	counter = 400;
	early_log_flush();
	console_puts("more\n");
	console_register(&fb.dev);
	console_puts("to both\n");
	assert_true(console_first_output(&ticks));
	assert_int_equal(ticks, 300);
}

/* What the arch layer's fatal paths ask before choosing their output. */
static void test_ready_once_a_device_registers(void **state)
{
	assert_false(console_ready());
	console_register(&fa.dev);
	assert_true(console_ready());
}

static void test_early_overflow(void **state)
{
	static char big[5000];
	static char expect[EARLY_BUF_SIZE + 64];

	memset(big, 'x', sizeof(big));
	console_write(big, sizeof(big));
	console_puts("tail that is lost\n");
	console_register(&fa.dev);
	memset(expect, 'x', EARLY_BUF_SIZE);
	strcpy(expect + EARLY_BUF_SIZE, "[922 bytes lost]\r\n");
	assert_output(&fa, expect);
}

static void test_crlf(void **state)
{
	static char in[1000], expect[1600];
	size_t e = 0;

	console_register(&fa.dev);
	console_puts("a\nb\n\nc");
	assert_output(&fa, "a\r\nb\r\n\r\nc");
	/* Long input crossing the internal batch size at every offset. */
	fa.out_len = 0;
	for (size_t i = 0; i < sizeof(in) - 1; i++) {
		in[i] = (i % 7 == 0) ? '\n' : (char)('a' + i % 26);
		if (in[i] == '\n')
			expect[e++] = '\r';
		expect[e++] = in[i];
	}
	console_puts(in);
	assert_output(&fa, expect);
	console_putc('\n');
	assert_int_equal(fa.out[fa.out_len - 2], '\r');
	assert_int_equal(fa.out[fa.out_len - 1], '\n');
}

static void test_two_devices(void **state)
{
	console_register(&fa.dev);
	console_register(&fb.dev);
	console_register(&fa.dev); /* twice: ignored, no loop */
	console_puts("=> ");
	assert_output(&fa, "=> ");
	assert_output(&fb, "=> ");
	assert_int_equal(fa.writes, 1);
}

static void test_nested_output(void **state)
{
	console_register(&fa.dev);
	fa.nested = "(stall)\n";
	console_puts("line\n");
	assert_output(&fa, "line\r\n(stall)\r\n");
}

static void test_log_levels(void **state)
{
	console_register(&fa.dev);
	log_level = LOG_WARN;
	pr_info("hidden\n");
	pr_debug("hidden\n");
	pr_warn("disk %s slow\n", "xvda");
	pr_err("failed: %d\n", -5);
	assert_output(&fa, "WARNING: disk xvda slow\r\nERROR: failed: -5\r\n");
	log_level = LOG_DEBUG;
	fa.out_len = 0;
	pr_debug("dbg\n");
	assert_output(&fa, "dbg\r\n");
	/* One write per message; longer ones are streamed, still complete. */
	fa.out_len = 0;
	fa.writes = 0;
	pr_err("short %s\n", "one");
	assert_int_equal(fa.writes, 1);
	fa.out_len = 0;
	pr_err("%0300d\n", 7);
	assert_int_equal(fa.out_len, 7 + 300 + 2);
	assert_memory_equal(fa.out, "ERROR: 000", 10);
	assert_memory_equal(fa.out + fa.out_len - 3, "7\r\n", 3);
}

static void test_ctrlc_keeps_typed_bytes(void **state)
{
	const char typed[] = "ab\x03"
			     "cd";

	console_register(&fa.dev);
	fake_type(&fa, typed, 5);
	assert_true(ctrlc());
	assert_false(ctrlc()); /* reported once */
	assert_true(console_tstc());
	assert_int_equal(console_getc(), 'a');
	assert_int_equal(console_getc(), 'b');
	assert_int_equal(console_getc(), 'c');
	assert_int_equal(console_getc(), 'd');
	assert_false(console_tstc());
	assert_false(ctrlc());
}

static void test_ctrlc_queue_full(void **state)
{
	static char typed[400];

	for (size_t i = 0; i < sizeof(typed); i++)
		typed[i] = (char)('A' + i % 26);
	typed[350] = 0x03; /* behind a full queue: seen once the queue drains */
	console_register(&fa.dev);
	fake_type(&fa, typed, sizeof(typed));
	assert_false(ctrlc());
	assert_int_equal(inq_count, INPUT_QUEUE_SIZE);
	for (size_t i = 0; i < 300; i++)
		assert_int_equal(console_getc(), typed[i]);
	assert_true(ctrlc());
	for (size_t i = 300; i < sizeof(typed); i++)
		if (i != 350)
			assert_int_equal(console_getc(), typed[i]);
	assert_false(console_tstc());
}

static void test_clear_ctrlc(void **state)
{
	console_register(&fa.dev);
	fake_type(&fa, "x\x03y", 3);
	clear_ctrlc();
	assert_false(ctrlc());
	assert_int_equal(console_getc(), 'x');
	assert_int_equal(console_getc(), 'y');
}

static void test_getc_direct_ctrlc(void **state)
{
	/* The line editor reads Ctrl-C itself when nobody polled for it. */
	console_register(&fa.dev);
	fake_type(&fa, "\x03", 1);
	assert_int_equal(console_getc(), 0x03);
}

static void test_getc_waits(void **state)
{
	console_register(&fa.dev);
	fake_type(&fa, "ok", 2);
	fa.in_visible = 0;
	relax_feeds = &fa;
	assert_int_equal(console_getc(), 'o');
	assert_int_equal(relax_calls, 3);
	assert_int_equal(console_getc(), 'k');
	assert_int_equal(relax_calls, 6);
}

static void test_output_only_device(void **state)
{
	struct fake *f = &fa;

	f->dev.tstc = NULL;
	f->dev.getc = NULL;
	console_register(&f->dev);
	assert_false(console_tstc());
	assert_false(ctrlc());
	console_flush(); /* no flush hook: fine */
	console_puts("x");
	assert_output(f, "x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_early_replay, reset),
	    cmocka_unit_test_setup(test_first_output_time, reset),
	    cmocka_unit_test_setup(test_ready_once_a_device_registers, reset),
	    cmocka_unit_test_setup(test_early_overflow, reset),
	    cmocka_unit_test_setup(test_crlf, reset),
	    cmocka_unit_test_setup(test_two_devices, reset),
	    cmocka_unit_test_setup(test_nested_output, reset),
	    cmocka_unit_test_setup(test_log_levels, reset),
	    cmocka_unit_test_setup(test_ctrlc_keeps_typed_bytes, reset),
	    cmocka_unit_test_setup(test_ctrlc_queue_full, reset),
	    cmocka_unit_test_setup(test_clear_ctrlc, reset),
	    cmocka_unit_test_setup(test_getc_direct_ctrlc, reset),
	    cmocka_unit_test_setup(test_getc_waits, reset),
	    cmocka_unit_test_setup(test_output_only_device, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
