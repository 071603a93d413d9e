// SPDX-License-Identifier: MIT
/*
 * Device registry: numbering, lookup by name and by handle, iteration that
 * survives removal, and the one removal order (unlink, listeners, the
 * driver's remove, the driver's free) for one device, one driver or every
 * device an OS must not inherit.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pvboot/device.h>
#include <pvboot/log.h>

int log_level = LOG_INFO;
static unsigned int nr_errors;
void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level == LOG_ERR)
		nr_errors++;
}

/* What happened, in order: "L<seq>" listener, "R<seq>" remove, "F<seq>" free. */
static char trace[256];
static int remove_ret;
static struct device *register_on_remove;

static void note(char what, const struct device *d)
{
	size_t n = strlen(trace);

	snprintf(trace + n, sizeof(trace) - n, "%c%d ", what, d->seq);
}

static void on_removed(struct device *d)
{
	/* Already unreachable: neither by name nor by handle. */
	assert_null(device_find(d->class, d->name, d->seq));
	assert_int_equal(d->handle, 0);
	note('L', d);
}

static struct device_listener listener = {.removed = on_removed};

static int drv_remove(struct device *d)
{
	note('R', d);
	if (register_on_remove) {
		assert_int_equal(device_register(register_on_remove), 0);
		register_on_remove = NULL;
	}
	return remove_ret;
}

static void drv_free(struct device *d)
{
	note('F', d);
	free(d);
}

static const struct device_driver disk_drv = {
    .name = "disk", .flags = DEVICE_FLAG_OS_PREPARE, .remove = drv_remove, .free = drv_free};
static const struct device_driver other_drv = {
    .name = "other", .remove = drv_remove, .free = drv_free};

static struct device *new_dev(const struct device_driver *drv, const char *name, int seq)
{
	struct device *d = calloc(1, sizeof(*d));

	d->drv = drv;
	d->class = DEVICE_CLASS_BLK;
	d->name = name;
	d->seq = seq;
	return d;
}

static int setup(void **state)
{
	trace[0] = '\0';
	remove_ret = 0;
	nr_errors = 0;
	device_listen(&listener);
	return 0;
}

static int teardown(void **state)
{
	device_remove_driver(&disk_drv);
	device_remove_driver(&other_drv);
	assert_null(device_next(DEVICE_CLASS_BLK, 0));
	return 0;
}

static void test_numbering_and_lookup(void **state)
{
	struct device *a = new_dev(&disk_drv, "pvblock", -1),
		      *b = new_dev(&disk_drv, "pvblock", -1);
	struct device *c = new_dev(&disk_drv, "host", 0), *dup = new_dev(&disk_drv, "pvblock", 1);
	struct device bad = {.class = DEVICE_CLASS_COUNT, .name = "x"};

	assert_int_equal(device_register(a), 0);
	assert_int_equal(device_register(b), 0);
	assert_int_equal(device_register(c), 0);
	assert_int_equal(a->seq, 0); /* the lowest free numbers, per name */
	assert_int_equal(b->seq, 1);
	assert_int_equal(c->seq, 0);
	assert_int_equal(device_register(dup), -EEXIST);
	assert_int_equal(device_register(a), -EEXIST); /* twice */
	assert_int_equal(device_register(&bad), -EINVAL);
	free(dup);

	assert_ptr_equal(device_find(DEVICE_CLASS_BLK, "pvblock", 1), b);
	assert_ptr_equal(device_find(DEVICE_CLASS_BLK, "host", 0), c);
	assert_null(device_find(DEVICE_CLASS_NET, "pvblock", 0));
	assert_ptr_equal(device_get(b->handle), b);
	assert_null(device_get(0));
	assert_int_equal(device_count(DEVICE_CLASS_BLK, "pvblock"), 2);
	assert_int_equal(device_count(DEVICE_CLASS_BLK, NULL), 3);

	/* A freed number is given again, a handle never is. */
	uint32_t old = a->handle;

	assert_int_equal(device_remove(a), 0);
	assert_null(device_get(old));
	a = new_dev(&disk_drv, "pvblock", -1);
	assert_int_equal(device_register(a), 0);
	assert_int_equal(a->seq, 0);
	assert_true(a->handle > old);
}

static void test_remove_order(void **state)
{
	struct device *a = new_dev(&disk_drv, "pvblock", -1);

	assert_int_equal(device_register(a), 0);
	remove_ret = -EIO;
	assert_int_equal(device_remove(a), -EIO); /* reported, and gone anyway */
	assert_string_equal(trace, "L0 R0 F0 ");
	assert_int_equal(nr_errors, 1);
	assert_int_equal(device_count(DEVICE_CLASS_BLK, NULL), 0);
	{
		struct device never = {.class = DEVICE_CLASS_BLK, .name = "pvblock"};

		assert_int_equal(device_remove(&never), -ENOENT); /* not registered */
		assert_int_equal(device_remove(NULL), -ENOENT);
	}
}

static void test_iteration_survives_removal(void **state)
{
	struct device *d[4];
	unsigned int seen = 0;
	uint32_t h;

	for (int i = 0; i < 4; i++) {
		d[i] = new_dev(&disk_drv, "pvblock", -1);
		assert_int_equal(device_register(d[i]), 0);
	}
	/* The body removes the current device and the next one: the walk goes on by handle. */
	for (struct device *p = device_next(DEVICE_CLASS_BLK, 0); p;
	     p = device_next(DEVICE_CLASS_BLK, h)) {
		h = p->handle;
		seen++;
		if (p == d[1]) {
			device_remove(d[2]);
			device_remove(d[1]);
		}
	}
	assert_int_equal(seen, 3); /* d0, d1, d3 */
	assert_null(device_next(DEVICE_CLASS_NET, 0));
}

static void test_remove_all_and_by_driver(void **state)
{
	struct device *a = new_dev(&disk_drv, "pvblock", -1), *b = new_dev(&other_drv, "x", -1);
	struct device *c = new_dev(&disk_drv, "pvblock", -1);
	struct device stat = {.class = DEVICE_CLASS_BLK, .name = "ram", .seq = 0};

	assert_int_equal(device_register(a), 0);
	assert_int_equal(device_register(b), 0);
	assert_int_equal(device_register(c), 0);
	assert_int_equal(device_register(&stat), 0);
	/* Before an OS: only flagged drivers, newest first. */
	assert_int_equal(device_remove_all(DEVICE_FLAG_OS_PREPARE), 0);
	assert_string_equal(trace, "L1 R1 F1 L0 R0 F0 ");
	assert_int_equal(device_count(DEVICE_CLASS_BLK, NULL), 2);
	trace[0] = '\0';
	assert_int_equal(device_remove_driver(&other_drv), 0);
	assert_string_equal(trace, "L0 R0 F0 ");
	/* No driver: unlinked and listened to, nothing to stop or free. */
	trace[0] = '\0';
	assert_int_equal(device_remove(&stat), 0);
	assert_string_equal(trace, "L0 ");
	assert_int_equal(device_remove_driver(NULL), -EINVAL);
}

/* A driver that registers again while it is removed cannot keep remove-all going. */
static void test_remove_all_is_bounded(void **state)
{
	struct device *a = new_dev(&disk_drv, "pvblock", -1);

	assert_int_equal(device_register(a), 0);
	register_on_remove = new_dev(&disk_drv, "pvblock", -1);
	assert_int_equal(device_remove_driver(&disk_drv), 0);
	assert_int_equal(device_count(DEVICE_CLASS_BLK, "pvblock"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_numbering_and_lookup, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_remove_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_iteration_survives_removal, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_remove_all_and_by_driver, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_remove_all_is_bounded, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
