// SPDX-License-Identifier: MIT
/*
 * XenBus device helpers over a scripted XenStore: a device watches its
 * backend's state with one watch for its whole life (every wait and the data
 * path's "did it change?" share it, none sets its own), and drops it when
 * it is given back; the handshake waits see the states the backend goes
 * through and are bounded.
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
#include <pvboot/console.h>
#include <pvboot/log.h>
#include <pvboot/timer.h>
#include <pvboot/xen/xenbus.h>
#include <pvboot/xen/xenstore.h>

int log_level = LOG_INFO;
void log_msg(enum log_level level, const char *fmt, ...)
{
}

/* ---- a scripted XenStore ------------------------------------------------ */

#define BACKEND "/local/domain/0/backend/vbd/1/51712"

static int be_state;		  /* what <backend>/state reads */
static int fe_state;		  /* last state the frontend wrote */
static int be_script[8], be_next; /* states the backend takes, one per wait slice */
static unsigned int watches_set, watches_live, events;
static uint64_t now_us;

int xenstore_read_u64(xs_transaction_t t, const char *path, uint64_t *value)
{
	if (!strcmp(path, "device/vbd/51712/backend-id")) {
		*value = 0;
		return 0;
	}
	if (!strcmp(path, BACKEND "/state")) {
		*value = (uint64_t)be_state;
		return 0;
	}
	return -ENOENT;
}

int xenstore_read(xs_transaction_t t, const char *path, char **value)
{
	if (strcmp(path, "device/vbd/51712/backend"))
		return -ENOENT;
	*value = strdup(BACKEND);
	return (int)strlen(*value);
}

int xenstore_printf(xs_transaction_t t, const char *path, const char *fmt, ...)
{
	va_list ap;

	assert_string_equal(path, "device/vbd/51712/state");
	va_start(ap, fmt);
	fe_state = va_arg(ap, int);
	va_end(ap);
	return 0;
}

/* What the fake store lists under device/vbd, in the store's own order. */
static const char *const *dir_names;
static unsigned int dir_count;

int xenstore_directory(xs_transaction_t t, const char *path, char ***names, unsigned int *count)
{
	if (!dir_count)
		return -ENOENT;
	assert_string_equal(path, "device/vbd");
	*names = calloc(dir_count, sizeof(char *));
	for (unsigned int i = 0; i < dir_count; i++)
		(*names)[i] = strdup(dir_names[i]);
	*count = dir_count;
	return 0;
}

void xenstore_free_list(char **names, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

int xenstore_watch(const char *path, const char *token)
{
	assert_string_equal(path, BACKEND "/state");
	watches_set++;
	watches_live++;
	events++; /* XenStore fires a new watch once */
	return 0;
}

int xenstore_unwatch(const char *path, const char *token)
{
	assert_string_equal(path, BACKEND "/state");
	assert_true(watches_live > 0);
	watches_live--;
	events = 0;
	return 0;
}

/* A slice of waiting: the backend takes its next scripted state, which fires the watch. */
int xenstore_wait_watch(const char *token, char **path, unsigned long timeout_ms)
{
	assert_true(watches_live > 0);
	if (!events && timeout_ms && be_next < (int)ARRAY_SIZE(be_script) && be_script[be_next]) {
		be_state = be_script[be_next++];
		events++;
	}
	if (!events) {
		now_us += timeout_ms * 1000;
		return -ETIMEDOUT;
	}
	events--;
	*path = strdup(BACKEND "/state");
	return 0;
}

/* ---- time and console ---------------------------------------------------- */

uint64_t deadline_ms(unsigned long ms)
{
	return now_us + (uint64_t)ms * 1000;
}

uint64_t timer_us(void)
{
	return now_us;
}

bool deadline_passed(uint64_t deadline)
{
	return now_us >= deadline;
}

void mdelay(unsigned long ms)
{
	now_us += ms * 1000;
}

/* ---- tests ----------------------------------------------------------------- */

static int setup(void **state)
{
	be_state = XenbusStateInitWait;
	fe_state = XenbusStateUnknown;
	memset(be_script, 0, sizeof(be_script));
	be_next = 0;
	watches_set = watches_live = events = 0;
	return 0;
}

static void test_one_watch_for_the_device_life(void **state)
{
	struct xenbus_device dev;

	assert_int_equal(xenbus_device_init(&dev, "vbd", "51712"), 0);
	assert_string_equal(dev.otherend, BACKEND);
	assert_int_equal(watches_set, 0); /* nothing watched before a wait */

	/* Handshake: InitWait now, Connected after we say Initialised. */
	assert_int_equal(xenbus_wait_otherend(&dev, 1u << XenbusStateInitWait, 1000),
			 XenbusStateInitWait);
	be_script[0] = XenbusStateConnected;
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateInitialised), 0);
	assert_int_equal(xenbus_wait_otherend(&dev, 1u << XenbusStateConnected, 1000),
			 XenbusStateConnected);
	assert_int_equal(watches_set, 1);
	assert_int_equal(watches_live, 1);

	/* The data path asks on the same watch: nothing new, then a change. */
	xenbus_otherend_changed(&dev);
	assert_false(xenbus_otherend_changed(&dev));
	be_state = XenbusStateClosing;
	events++;
	assert_true(xenbus_otherend_changed(&dev));
	assert_false(xenbus_otherend_changed(&dev));

	/* Giving it back waits twice more, still on that one watch. */
	be_script[be_next] = XenbusStateClosed;
	assert_int_equal(xenbus_disconnect(&dev, 1000), 0);
	assert_int_equal(fe_state, XenbusStateInitialising);
	assert_int_equal(watches_set, 1);

	xenbus_device_exit(&dev);
	assert_int_equal(watches_live, 0);
	xenbus_device_exit(&dev); /* twice: harmless */
	assert_int_equal(watches_live, 0);
	assert_false(xenbus_otherend_changed(&dev)); /* no watch: never waits */
}

static void test_wait_is_bounded(void **state)
{
	struct xenbus_device dev;
	uint64_t start = now_us;

	assert_int_equal(xenbus_device_init(&dev, "vbd", "51712"), 0);
	/* The backend stays InitWait: the wait ends at its deadline. */
	assert_int_equal(xenbus_wait_otherend(&dev, 1u << XenbusStateConnected, 500), -ETIMEDOUT);
	assert_true(now_us - start >= 500 * 1000);
	assert_true(now_us - start < 1000 * 1000);
	xenbus_device_exit(&dev);
	assert_int_equal(watches_live, 0);
}

/* Whatever order the store lists them in, disks come in device-number order. */
static void test_devices_in_numeric_order(void **state)
{
	static const char *const listed[] = {"51728", "268441856", "51712", "x1", "5632"};
	static const char *const want[] = {"5632", "51712", "51728", "268441856", "x1"};
	char **ids = NULL;
	unsigned int n = 0;

	dir_names = listed;
	dir_count = 5;
	assert_int_equal(xenbus_list_devices("vbd", &ids, &n), 0);
	assert_int_equal(n, 5);
	for (unsigned int i = 0; i < n; i++) {
		assert_string_equal(ids[i], want[i]);
		free(ids[i]);
	}
	free(ids);
	dir_count = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_one_watch_for_the_device_life, setup),
	    cmocka_unit_test(test_devices_in_numeric_order),
	    cmocka_unit_test_setup(test_wait_is_bounded, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
