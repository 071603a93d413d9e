// SPDX-License-Identifier: MIT
/*
 * Boot and runtime services through the tables an image sees: the handle
 * and protocol database (open/close bookkeeping, all-or-nothing multiple
 * installs, device path lookup), pools of each memory type, events with a
 * fake clock (timers, notification order, TPL, groups, the watchdog), and
 * volatile variables with their limits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pvboot/arch.h>
#include <pvboot/timer.h>
#include "../../efi/efi_internal.h"

#define RAM_SIZE (8u << 20)

/* ---- what the efi/ files need from below, faked ------------------------------ */
static uint64_t now_us;
static jmp_buf reset_jb;

uint64_t timer_us(void)
{
	return now_us;
}

void arch_cpu_relax(void)
{
	now_us += 100;
}

__noreturn void arch_reset(void)
{
	longjmp(reset_jb, 1);
}

static EFI_BOOT_SERVICES bs;
static EFI_RUNTIME_SERVICES rt;
static void *ram;
EFI_SYSTEM_TABLE *efi_systab;

static int setup(void **state)
{
	ram = aligned_alloc(PAGE_SIZE, RAM_SIZE);
	assert_non_null(ram);
	assert_int_equal(efi_mem_init((uintptr_t)ram, (uintptr_t)ram + RAM_SIZE, NULL, 0), 0);
	efi_handle_services(&bs);
	efi_event_services(&bs);
	efi_variable_services(&rt);
	now_us = 1000000;
	return 0;
}

static int teardown(void **state)
{
	efi_handles_exit();
	efi_events_exit();
	efi_variables_exit();
	efi_pool_exit();
	efi_mem_exit();
	free(ram);
	return 0;
}

static EFI_GUID g1 = {0x11111111, 1, 1, {1, 1, 1, 1, 1, 1, 1, 1}};
static EFI_GUID g2 = {0x22222222, 2, 2, {2, 2, 2, 2, 2, 2, 2, 2}};
static EFI_GUID g3 = {0x33333333, 3, 3, {3, 3, 3, 3, 3, 3, 3, 3}};
static EFI_GUID dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
static int if1, if2, if3;

/* ---- protocols --------------------------------------------------------------- */
static void test_install_locate_uninstall(void **state)
{
	EFI_HANDLE h = NULL, h2 = NULL, list[4];
	UINTN size = sizeof(list);
	void *p;

	assert_int_equal(bs.InstallProtocolInterface(&h, &g1, EFI_NATIVE_INTERFACE, &if1), 0);
	assert_int_equal(bs.InstallProtocolInterface(&h, &g2, EFI_NATIVE_INTERFACE, &if2), 0);
	assert_int_equal(bs.InstallProtocolInterface(&h2, &g1, EFI_NATIVE_INTERFACE, &if3), 0);
	assert_int_equal(bs.InstallProtocolInterface(&h, &g1, EFI_NATIVE_INTERFACE, &if1),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(bs.InstallProtocolInterface(&h, &g3, EFI_PCODE_INTERFACE, &if1) != 0, 1);
	assert_int_equal(bs.LocateHandle(ByProtocol, &g1, NULL, &size, list), 0);
	assert_int_equal(size, 2 * sizeof(EFI_HANDLE));
	assert_ptr_equal(list[0], h); /* in the order they were made */
	assert_ptr_equal(list[1], h2);
	size = sizeof(EFI_HANDLE);
	assert_int_equal(bs.LocateHandle(AllHandles, NULL, NULL, &size, list),
			 EFI_BUFFER_TOO_SMALL);
	assert_int_equal(size, 2 * sizeof(EFI_HANDLE));
	assert_int_equal(bs.LocateHandle(ByProtocol, &g3, NULL, &size, list), EFI_NOT_FOUND);
	assert_int_equal(bs.LocateHandle(ByRegisterNotify, NULL, NULL, &size, list),
			 EFI_UNSUPPORTED);
	assert_int_equal(bs.LocateProtocol(&g2, NULL, &p), 0);
	assert_ptr_equal(p, &if2);
	assert_int_equal(bs.HandleProtocol(h2, &g2, &p), EFI_UNSUPPORTED);
	assert_null(p);
	assert_int_equal(bs.HandleProtocol((EFI_HANDLE)&if1, &g1, &p), EFI_INVALID_PARAMETER);
	assert_int_equal(bs.ReinstallProtocolInterface(h2, &g1, &if3, &if2), 0);
	assert_int_equal(bs.HandleProtocol(h2, &g1, &p), 0);
	assert_ptr_equal(p, &if2);
	assert_int_equal(bs.UninstallProtocolInterface(h2, &g1, &if3), EFI_NOT_FOUND);
	assert_int_equal(bs.UninstallProtocolInterface(h2, &g1, &if2), 0);
	assert_false(efi_handle_valid(h2)); /* no protocol left: the handle is gone */
	assert_true(efi_handle_valid(h));
}

static void test_open_close(void **state)
{
	EFI_HANDLE h = NULL, agent = NULL, agent2 = NULL, ctl = NULL;
	EFI_OPEN_PROTOCOL_INFORMATION_ENTRY *info;
	UINTN n;
	void *p;

	bs.InstallProtocolInterface(&h, &g1, EFI_NATIVE_INTERFACE, &if1);
	bs.InstallProtocolInterface(&agent, &g2, EFI_NATIVE_INTERFACE, &if2);
	bs.InstallProtocolInterface(&agent2, &g2, EFI_NATIVE_INTERFACE, &if2);
	bs.InstallProtocolInterface(&ctl, &g3, EFI_NATIVE_INTERFACE, &if3);
	assert_int_equal(
	    bs.OpenProtocol(h, &g1, NULL, agent, NULL, EFI_OPEN_PROTOCOL_TEST_PROTOCOL), 0);
	assert_int_equal(bs.OpenProtocol(h, &g1, NULL, agent, NULL, EFI_OPEN_PROTOCOL_GET_PROTOCOL),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(bs.OpenProtocol(h, &g2, &p, agent, NULL, EFI_OPEN_PROTOCOL_GET_PROTOCOL),
			 EFI_UNSUPPORTED);
	assert_int_equal(bs.OpenProtocol(h, &g1, &p, agent, NULL, 0x40), EFI_INVALID_PARAMETER);
	assert_int_equal(bs.OpenProtocol(h, &g1, &p, agent, ctl, EFI_OPEN_PROTOCOL_BY_DRIVER), 0);
	assert_ptr_equal(p, &if1);
	assert_int_equal(bs.OpenProtocol(h, &g1, &p, agent, ctl, EFI_OPEN_PROTOCOL_BY_DRIVER),
			 EFI_ALREADY_STARTED);
	assert_int_equal(bs.OpenProtocol(h, &g1, &p, agent2, ctl, EFI_OPEN_PROTOCOL_BY_DRIVER),
			 EFI_ACCESS_DENIED);
	assert_int_equal(bs.OpenProtocol(h, &g1, &p, agent2, NULL, EFI_OPEN_PROTOCOL_GET_PROTOCOL),
			 0);
	assert_int_equal(bs.OpenProtocolInformation(h, &g1, &info, &n), 0);
	assert_int_equal(n, 2);
	efi_pool_free(info);
	/* A protocol a driver holds cannot be uninstalled (nothing disconnects it). */
	assert_int_equal(bs.UninstallProtocolInterface(h, &g1, &if1), EFI_ACCESS_DENIED);
	assert_int_equal(bs.CloseProtocol(h, &g1, agent, ctl), 0);
	assert_int_equal(bs.CloseProtocol(h, &g1, agent, ctl), EFI_NOT_FOUND);
	assert_int_equal(bs.UninstallProtocolInterface(h, &g1, &if1), 0);
}

static void test_multiple_all_or_nothing(void **state)
{
	EFI_HANDLE h = NULL, other = NULL;
	void *p;

	bs.InstallProtocolInterface(&other, &g3, EFI_NATIVE_INTERFACE, &if3);
	assert_int_equal(bs.InstallMultipleProtocolInterfaces(&h, &g1, &if1, &g2, &if2, NULL), 0);
	/* g1 again fails: g3, installed before it in the same call, is taken back. */
	assert_int_equal(bs.InstallMultipleProtocolInterfaces(&h, &g3, &if3, &g1, &if1, NULL),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(bs.HandleProtocol(h, &g3, &p), EFI_UNSUPPORTED);
	/* A wrong interface anywhere: nothing is uninstalled. */
	assert_int_equal(bs.UninstallMultipleProtocolInterfaces(h, &g1, &if1, &g2, &if3, NULL),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(bs.HandleProtocol(h, &g1, &p), 0);
	assert_int_equal(bs.UninstallMultipleProtocolInterfaces(h, &g1, &if1, &g2, &if2, NULL), 0);
	assert_false(efi_handle_valid(h));
}

/* A device path of `n` vendor nodes with tags, then the end node. */
static void *dpath(uint8_t *buf, const uint8_t *tags, int n)
{
	uint8_t *p = buf;

	for (int i = 0; i < n; i++, p += 8)
		memcpy(p, (uint8_t[8]){HARDWARE_DEVICE_PATH, HW_VENDOR_DP, 8, 0, tags[i], 0, 0, 0},
		       8);
	memcpy(p, (uint8_t[4]){END_DEVICE_PATH_TYPE, END_ENTIRE_DEVICE_PATH_SUBTYPE, 4, 0}, 4);
	return buf;
}

static void test_device_paths(void **state)
{
	uint8_t a[64], b[64], c[64], q[64], bad[16] = {1, 4, 2, 0};
	EFI_HANDLE ha = NULL, hb = NULL, hc = NULL, dev;
	EFI_DEVICE_PATH *rest;

	bs.InstallMultipleProtocolInterfaces(&ha, &dp_guid, dpath(a, (uint8_t[]){1}, 1), &g1, &if1,
					     NULL);
	bs.InstallMultipleProtocolInterfaces(&hb, &dp_guid, dpath(b, (uint8_t[]){1, 2}, 2), &g1,
					     &if1, NULL);
	bs.InstallProtocolInterface(&hc, &dp_guid, EFI_NATIVE_INTERFACE,
				    dpath(c, (uint8_t[]){1, 2, 3}, 3));
	/* The same path twice is refused: device paths are unique. */
	assert_int_equal(bs.InstallProtocolInterface(&hc, &g2, EFI_NATIVE_INTERFACE, &if2), 0);
	{
		EFI_HANDLE hd = NULL;

		assert_int_equal(bs.InstallProtocolInterface(&hd, &dp_guid, EFI_NATIVE_INTERFACE,
							     dpath(q, (uint8_t[]){1, 2}, 2)),
				 EFI_ALREADY_STARTED);
	}
	/* Longest prefix with the protocol wanted: b for 1/2/3/4 with g1 (c lacks g1). */
	rest = dpath(q, (uint8_t[]){1, 2, 3, 4}, 4);
	assert_int_equal(bs.LocateDevicePath(&g1, &rest, &dev), 0);
	assert_ptr_equal(dev, hb);
	assert_ptr_equal(rest, q + 16);
	rest = dpath(q, (uint8_t[]){1, 2, 3}, 3);
	assert_int_equal(bs.LocateDevicePath(&g2, &rest, &dev), 0);
	assert_ptr_equal(dev, hc);
	assert_ptr_equal(rest, q + 24); /* at the end node */
	rest = dpath(q, (uint8_t[]){7}, 1);
	assert_int_equal(bs.LocateDevicePath(&g1, &rest, &dev), EFI_NOT_FOUND);
	/* A node shorter than its header is not a path. */
	assert_int_equal(efi_dp_size(bad), 0);
	rest = (EFI_DEVICE_PATH *)bad;
	assert_int_equal(bs.LocateDevicePath(&g1, &rest, &dev), EFI_NOT_FOUND);
	/* A prefix that ends inside a node of the path does not count. */
	assert_int_equal(
	    efi_dp_prefix_len(dpath(a, (uint8_t[]){1}, 1), dpath(q, (uint8_t[]){1, 2}, 2)), 8);
	q[2] = 12; /* first node now 12 bytes: the 8-byte prefix ends inside it */
	assert_int_equal(efi_dp_prefix_len(a, q), 0);
}

/* FilePath nodes: built from a path, read back as one path; what is not a file path. */
static void test_file_paths(void **state)
{
	struct efi_dp_buf *b = calloc(1, sizeof(*b));
	char out[64];
	uint8_t *dp, two[64];
	EFI_DEVICE_PATH hdr = {MEDIA_DEVICE_PATH, MEDIA_FILEPATH_DP, {4 + 8, 0}};
	EFI_DEVICE_PATH end = {END_DEVICE_PATH_TYPE, END_ENTIRE_DEVICE_PATH_SUBTYPE, {4, 0}};

	assert_non_null(b);
	efi_dp_add_file(b, "/EFI/BOOT/BOOTAA64.EFI");
	dp = efi_dp_finish(b);
	assert_non_null(dp);
	assert_int_equal(dp[0], MEDIA_DEVICE_PATH);
	assert_int_equal(dp[1], MEDIA_FILEPATH_DP);
	assert_int_equal(dp[2] | dp[3] << 8, 4 + 23 * 2);
	assert_int_equal(dp[4], '\\'); /* UEFI's separator */
	assert_int_equal(efi_dp_file_path(dp, out, sizeof(out)), 0);
	assert_string_equal(out, "/EFI/BOOT/BOOTAA64.EFI");
	assert_int_equal(efi_dp_file_path(dp, out, 10), -1); /* too long for out: refused */
	/* Two nodes "\a\" and "\b" (UTF-16) are one path "/a/b". */
	memcpy(two, &hdr, 4);
	memcpy(two + 4, u"\\a\\", 8);
	memcpy(two + 12, &hdr, 4);
	two[14] = 4 + 6;
	memcpy(two + 16, u"\\b", 6);
	memcpy(two + 22, &end, 4);
	assert_int_equal(efi_dp_file_path(two, out, sizeof(out)), 0);
	assert_string_equal(out, "/a/b");
	/* A node that is not a file path: not a file. */
	two[12] = HARDWARE_DEVICE_PATH;
	assert_int_equal(efi_dp_file_path(two, out, sizeof(out)), -1);
	/* A path that overflows the builder is refused, not cut. */
	b->len = 0;
	for (int i = 0; i < 40; i++)
		efi_dp_add_file(b, "/a-long-component-name-of-forty-bytes-or-so");
	assert_null(efi_dp_finish(b));
	free(b);
}

/* ---- pools ------------------------------------------------------------------- */
static void test_pools(void **state)
{
	void *small[64], *big;
	unsigned int n;
	const struct efi_mem_region *r;

	for (int i = 0; i < 64; i++) {
		assert_int_equal(efi_pool_alloc(EfiLoaderData, 1000, &small[i]), 0);
		assert_true((uintptr_t)small[i] % 8 == 0);
		memset(small[i], i, 1000);
	}
	assert_int_equal(efi_pool_alloc(EfiRuntimeServicesData, 100000, &big), 0);
	assert_true((uintptr_t)big % PAGE_SIZE == 0);
	assert_true(efi_mem_is_allocated((uintptr_t)big, 100000));
	r = efi_mem_regions(&n);
	for (unsigned int i = 0; i < n; i++)
		if ((uintptr_t)small[0] >= r[i].start && (uintptr_t)small[0] < r[i].end)
			assert_int_equal(r[i].type, EfiLoaderData);
	for (int i = 0; i < 64; i++)
		assert_int_equal(((uint8_t *)small[i])[999], i);
	assert_int_equal(efi_pool_free((uint8_t *)small[3] + 16), EFI_INVALID_PARAMETER);
	assert_int_equal(efi_pool_free((uint8_t *)big + 8), EFI_INVALID_PARAMETER);
	assert_int_equal(efi_pool_free(&n), EFI_INVALID_PARAMETER);
	for (int i = 0; i < 64; i++)
		assert_int_equal(efi_pool_free(small[i]), 0);
	assert_int_equal(efi_pool_free(big), 0);
	assert_int_equal(efi_pool_free(big), EFI_INVALID_PARAMETER);
	/* Everything given back: the map is one free region again. */
	efi_mem_regions(&n);
	assert_int_equal(n, 1);
}

/* ---- events ------------------------------------------------------------------ */
static int calls[8], order[8], norder;

static VOID EFIAPI note(EFI_EVENT e, VOID *ctx)
{
	int i = (int)(uintptr_t)ctx;

	calls[i]++;
	order[norder++ % 8] = i;
}

static VOID EFIAPI wait_ready_after_3(EFI_EVENT e, VOID *ctx)
{
	if (++calls[0] >= 3)
		efi_signal_event(e);
}

static void test_timers(void **state)
{
	EFI_EVENT t, p;
	UINTN idx;

	memset(calls, 0, sizeof(calls));
	assert_int_equal(bs.CreateEvent(EVT_TIMER, 0, NULL, NULL, &t), 0);
	assert_int_equal(bs.SetTimer(t, TimerRelative, 50000 /* 5 ms */), 0);
	assert_int_equal(bs.CheckEvent(t), EFI_NOT_READY);
	now_us += 4900;
	assert_int_equal(bs.CheckEvent(t), EFI_NOT_READY);
	now_us += 200;
	assert_int_equal(bs.CheckEvent(t), 0);
	assert_int_equal(bs.CheckEvent(t), EFI_NOT_READY); /* a relative timer fires once */
	assert_int_equal(bs.SetTimer(t, TimerRelative, 10000), 0);
	assert_int_equal(bs.WaitForEvent(1, &t, &idx), 0);
	assert_int_equal(idx, 0);
	assert_int_equal(
	    bs.CreateEvent(EVT_TIMER | EVT_NOTIFY_SIGNAL, TPL_CALLBACK, note, (void *)1, &p), 0);
	assert_int_equal(bs.SetTimer(p, TimerPeriodic, 10000 /* 1 ms */), 0);
	for (int i = 0; i < 100; i++) { /* 10 ms in 0.1 ms steps */
		now_us += 100;
		efi_timer_check();
	}
	assert_true(calls[1] >= 9 && calls[1] <= 11);
	assert_int_equal(bs.SetTimer(p, TimerCancel, 0), 0);
	now_us += 10000;
	efi_timer_check();
	assert_true(calls[1] <= 11);
	assert_int_equal(bs.SetTimer(t, 7, 0), EFI_INVALID_PARAMETER);
	assert_int_equal(bs.CloseEvent(t), 0);
	assert_int_equal(bs.CloseEvent(t), EFI_INVALID_PARAMETER);
	assert_int_equal(bs.SetTimer(t, TimerRelative, 1), EFI_INVALID_PARAMETER);
}

static void test_notify_order_tpl_groups(void **state)
{
	EFI_EVENT lo, hi, w, g[2], plain;
	EFI_GUID group = g3;
	EFI_TPL old;
	UINTN idx;

	memset(calls, 0, sizeof(calls));
	norder = 0;
	assert_int_equal(bs.CreateEvent(EVT_NOTIFY_SIGNAL, TPL_APPLICATION, note, NULL, &lo),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(bs.CreateEvent(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, NULL, NULL, &lo),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(bs.CreateEvent(0x12345, 0, NULL, NULL, &lo), EFI_INVALID_PARAMETER);
	bs.CreateEvent(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, note, (void *)1, &lo);
	bs.CreateEvent(EVT_NOTIFY_SIGNAL, TPL_NOTIFY, note, (void *)2, &hi);
	/* Raised to NOTIFY: both wait; restoring runs the higher level first. */
	old = bs.RaiseTPL(TPL_NOTIFY);
	assert_int_equal(old, TPL_APPLICATION);
	bs.SignalEvent(lo);
	bs.SignalEvent(hi);
	assert_int_equal(calls[1] + calls[2], 0);
	bs.RestoreTPL(old);
	assert_int_equal(norder, 2);
	assert_int_equal(order[0], 2);
	assert_int_equal(order[1], 1);
	assert_int_equal(bs.WaitForEvent(1, &lo, &idx), EFI_INVALID_PARAMETER);
	/* A group: signalling one member signals all. */
	assert_int_equal(
	    bs.CreateEventEx(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, note, (void *)3, &group, &g[0]), 0);
	assert_int_equal(
	    bs.CreateEventEx(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, note, (void *)4, &group, &g[1]), 0);
	bs.SignalEvent(g[1]);
	assert_int_equal(calls[3], 1);
	assert_int_equal(calls[4], 1);
	/* Notify-wait: its function runs while someone waits, until it signals. */
	memset(calls, 0, sizeof(calls));
	bs.CreateEvent(EVT_NOTIFY_WAIT, TPL_CALLBACK, wait_ready_after_3, NULL, &w);
	bs.CreateEvent(0, 0, NULL, NULL, &plain);
	EFI_EVENT both[2] = {plain, w};
	assert_int_equal(bs.WaitForEvent(2, both, &idx), 0);
	assert_int_equal(idx, 1);
	assert_int_equal(calls[0], 3);
	/* WaitForEvent only at TPL_APPLICATION. */
	old = bs.RaiseTPL(TPL_CALLBACK);
	assert_int_equal(bs.WaitForEvent(1, &plain, &idx), EFI_UNSUPPORTED);
	bs.RestoreTPL(old);
}

static void test_watchdog(void **state)
{
	EFI_EVENT e;
	UINTN idx;

	bs.CreateEvent(0, 0, NULL, NULL, &e); /* never signalled */
	assert_int_equal(bs.SetWatchdogTimer(2, 0, 0, NULL), 0);
	if (!setjmp(reset_jb)) {
		bs.WaitForEvent(1, &e, &idx);
		fail_msg("a wait on an event nobody signals returned");
	}
	assert_true(now_us >= 1000000 + 2000000); /* the watchdog ended it, after 2 s */
	bs.SetWatchdogTimer(0, 0, 0, NULL);
}

/* ---- variables --------------------------------------------------------------- */
#define BS_RT (EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)

static void test_variables(void **state)
{
	UINT8 data[100];
	UINTN size = 3;
	UINT32 attrs;
	CHAR16 name[8];
	EFI_GUID guid;
	static UINT8 big[70000];
	CHAR16 long_name[600];

	assert_int_equal(rt.SetVariable(u"A", &g1, BS_RT, 5, "hello"), 0);
	assert_int_equal(rt.GetVariable(u"A", &g1, &attrs, &size, data), EFI_BUFFER_TOO_SMALL);
	assert_int_equal(size, 5);
	assert_int_equal(rt.GetVariable(u"A", &g1, &attrs, &size, data), 0);
	assert_memory_equal(data, "hello", 5);
	assert_int_equal(attrs, BS_RT);
	assert_int_equal(rt.GetVariable(u"A", &g2, &attrs, &size, data), EFI_NOT_FOUND);
	assert_int_equal(rt.SetVariable(u"A", &g1, BS_RT | EFI_VARIABLE_APPEND_WRITE, 3, " you"),
			 0);
	size = sizeof(data);
	assert_int_equal(rt.GetVariable(u"A", &g1, NULL, &size, data), 0);
	assert_int_equal(size, 8);
	assert_memory_equal(data, "hello yo", 8);
	/* Other attributes for an existing variable, runtime without boot access, auth writes. */
	assert_int_equal(rt.SetVariable(u"A", &g1, EFI_VARIABLE_BOOTSERVICE_ACCESS, 1, "x"),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(rt.SetVariable(u"B", &g1, EFI_VARIABLE_RUNTIME_ACCESS, 1, "x"),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(rt.SetVariable(u"B", &g1, BS_RT | 0x20, 1, "x"), EFI_UNSUPPORTED);
	assert_int_equal(rt.SetVariable(u"", &g1, BS_RT, 1, "x"), EFI_INVALID_PARAMETER);
	assert_int_equal(rt.SetVariable(u"B", &g1, BS_RT, 1, NULL), EFI_INVALID_PARAMETER);
	/* Limits: data, name, total. */
	assert_int_equal(rt.SetVariable(u"Big", &g1, BS_RT, sizeof(big), big),
			 EFI_OUT_OF_RESOURCES);
	for (int i = 0; i < 599; i++)
		long_name[i] = 'n';
	long_name[599] = 0;
	assert_int_equal(rt.SetVariable(long_name, &g1, BS_RT, 1, "x"), EFI_INVALID_PARAMETER);
	for (int i = 0; i < 5; i++)
		assert_int_equal(
		    rt.SetVariable((CHAR16[]){'V', '0' + i, 0}, &g2, BS_RT, 60000, big),
		    i < 4 ? EFI_SUCCESS : EFI_OUT_OF_RESOURCES);
	/* Enumeration: every variable once, then NOT_FOUND; a small buffer is reported. */
	name[0] = 0;
	size = 2;
	assert_int_equal(rt.GetNextVariableName(&size, name, &guid), EFI_BUFFER_TOO_SMALL);
	int count = 0;
	for (;;) {
		size = sizeof(name);
		EFI_STATUS s = rt.GetNextVariableName(&size, name, &guid);

		if (s == EFI_NOT_FOUND)
			break;
		assert_int_equal(s, 0);
		assert_true(++count <= 5);
	}
	assert_int_equal(count, 5);
	/* A name with no NUL within the buffer size is refused. */
	name[0] = 'A';
	size = 2;
	assert_int_equal(rt.GetNextVariableName(&size, name, &guid), EFI_INVALID_PARAMETER);
	/* Delete: size 0, or no access attributes. */
	assert_int_equal(rt.SetVariable(u"A", &g1, BS_RT, 0, NULL), 0);
	assert_int_equal(rt.SetVariable(u"A", &g1, BS_RT, 0, NULL), EFI_NOT_FOUND);
	assert_int_equal(rt.SetVariable(u"V0", &g2, 0, 5, "x"), 0);
	size = sizeof(data);
	assert_int_equal(rt.GetVariable(u"V0", &g2, NULL, &size, data), EFI_NOT_FOUND);
	/* Room again after the delete. */
	assert_int_equal(rt.SetVariable(u"V9", &g2, BS_RT, 60000, big), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_install_locate_uninstall),
	    T(test_open_close),
	    T(test_multiple_all_or_nothing),
	    T(test_device_paths),
	    T(test_file_paths),
	    T(test_pools),
	    T(test_timers),
	    T(test_notify_order_tpl_groups),
	    T(test_watchdog),
	    T(test_variables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
