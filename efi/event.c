// SPDX-License-Identifier: MIT
/*
 * Events, timers and task priority levels, without interrupts: timers are
 * checked (efi_timer_check) wherever an image can wait, and notification
 * functions run when the priority level allows, as UEFI orders them. The
 * watchdog that UEFI arms before an image starts is checked in the same
 * place: it is the deadline of every wait an image makes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <pvboot/arch.h>
#include <pvboot/timer.h>
#include "efi_internal.h"

#define MAX_NOTIFY_ROUNDS 1024 /* a notify function that keeps signalling itself */

struct efi_event {
	struct efi_event *next;
	UINT32 type;
	EFI_TPL tpl;
	EFI_EVENT_NOTIFY fn;
	void *ctx;
	EFI_GUID group;
	bool in_group, signaled, queued;
	EFI_TIMER_DELAY timer;
	uint64_t trigger_us, period_us;
};

static struct efi_event *events;
static EFI_TPL cur_tpl = TPL_APPLICATION;
static uint64_t watchdog_us; /* 0: not armed */

static struct efi_event *find_event(EFI_EVENT e)
{
	for (struct efi_event *ev = events; ev; ev = ev->next)
		if (ev == e)
			return ev;
	return NULL;
}

static bool type_ok(UINT32 type)
{
	switch (type) {
	case 0:
	case EVT_TIMER:
	case EVT_NOTIFY_WAIT:
	case EVT_NOTIFY_SIGNAL:
	case EVT_TIMER | EVT_NOTIFY_WAIT:
	case EVT_TIMER | EVT_NOTIFY_SIGNAL:
	case EVT_SIGNAL_EXIT_BOOT_SERVICES:
	case EVT_SIGNAL_VIRTUAL_ADDRESS_CHANGE:
		return true;
	default:
		return false;
	}
}

EFI_STATUS efi_create_event(UINT32 type, EFI_TPL tpl, EFI_EVENT_NOTIFY fn, void *ctx,
			    const EFI_GUID *group, EFI_EVENT *event)
{
	struct efi_event *ev;
	bool notify = type & (EVT_NOTIFY_WAIT | EVT_NOTIFY_SIGNAL);

	if (!event || !type_ok(type))
		return EFI_INVALID_PARAMETER;
	if (notify && (!fn || tpl <= TPL_APPLICATION || tpl > TPL_HIGH_LEVEL))
		return EFI_INVALID_PARAMETER;
	if (group && (type & EVT_NOTIFY_WAIT))
		return EFI_INVALID_PARAMETER;
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return EFI_OUT_OF_RESOURCES;
	*ev = (struct efi_event){.next = events,
				 .type = type,
				 .tpl = tpl,
				 .fn = notify ? fn : NULL,
				 .ctx = ctx,
				 .timer = TimerCancel};
	if (group) {
		ev->group = *group;
		ev->in_group = true;
	}
	events = ev;
	*event = ev;
	return EFI_SUCCESS;
}

EFI_STATUS efi_close_event(EFI_EVENT event)
{
	struct efi_event **pp = &events;

	while (*pp && *pp != event)
		pp = &(*pp)->next;
	if (!*pp)
		return EFI_INVALID_PARAMETER;
	*pp = ((struct efi_event *)event)->next;
	free(event);
	return EFI_SUCCESS;
}

void efi_events_exit(void)
{
	while (events)
		efi_close_event(events);
	cur_tpl = TPL_APPLICATION;
	watchdog_us = 0;
}

/* Run queued notification functions above the current level, highest first. */
static void dispatch(void)
{
	for (int round = 0; round < MAX_NOTIFY_ROUNDS; round++) {
		struct efi_event *best = NULL;

		for (struct efi_event *ev = events; ev; ev = ev->next)
			if (ev->queued && ev->tpl > cur_tpl && (!best || ev->tpl > best->tpl))
				best = ev;
		if (!best)
			return;
		EFI_TPL old = cur_tpl;

		best->queued = false;
		best->signaled = false; /* a notify-signal event can be signalled again */
		cur_tpl = best->tpl;
		best->fn(best, best->ctx);
		cur_tpl = old;
	}
}

static void signal_one(struct efi_event *ev)
{
	if (ev->signaled)
		return;
	ev->signaled = true;
	if (ev->type & EVT_NOTIFY_SIGNAL)
		ev->queued = true;
}

EFI_STATUS efi_signal_event(EFI_EVENT event)
{
	struct efi_event *ev = find_event(event);

	if (!ev)
		return EFI_INVALID_PARAMETER;
	if (ev->in_group) {
		for (struct efi_event *e = events; e; e = e->next)
			if (e->in_group && efi_guid_eq(&e->group, &ev->group))
				signal_one(e);
	} else {
		signal_one(ev);
	}
	dispatch();
	return EFI_SUCCESS;
}

void efi_timer_check(void)
{
	uint64_t now = timer_us();

	if (watchdog_us && now >= watchdog_us) {
		printf("\nEFI: the watchdog timer expired: resetting\n");
		arch_reset();
	}
	/* Signalling may run notify functions that close events: search again each time. */
	for (unsigned int n = 0; n < MAX_NOTIFY_ROUNDS; n++) {
		struct efi_event *due = events;

		while (due && (due->timer == TimerCancel || now < due->trigger_us))
			due = due->next;
		if (!due)
			return;
		if (due->timer == TimerPeriodic)
			due->trigger_us = MAX(due->trigger_us + due->period_us, now + 1);
		else
			due->timer = TimerCancel;
		efi_signal_event(due);
	}
}

void efi_events_exit_boot_services(void)
{
	static const EFI_GUID group = EFI_EVENT_GROUP_EXIT_BOOT_SERVICES;

	for (struct efi_event *ev = events; ev; ev = ev->next)
		if (ev->type == EVT_SIGNAL_EXIT_BOOT_SERVICES ||
		    (ev->in_group && efi_guid_eq(&ev->group, &group)))
			signal_one(ev);
	dispatch();
	/* No timer fires and no watchdog bites once the OS owns the machine. */
	for (struct efi_event *ev = events; ev; ev = ev->next)
		ev->timer = TimerCancel;
	watchdog_us = 0;
}

static EFI_STATUS EFIAPI create_event(UINT32 type, EFI_TPL tpl, EFI_EVENT_NOTIFY fn, VOID *ctx,
				      EFI_EVENT *event)
{
	return efi_create_event(type, tpl, fn, ctx, NULL, event);
}

static EFI_STATUS EFIAPI create_event_ex(UINT32 type, EFI_TPL tpl, EFI_EVENT_NOTIFY fn,
					 const VOID *ctx, const EFI_GUID *group, EFI_EVENT *event)
{
	/* The two special types are selected by group in this call. */
	if (type == EVT_SIGNAL_EXIT_BOOT_SERVICES || type == EVT_SIGNAL_VIRTUAL_ADDRESS_CHANGE)
		return EFI_INVALID_PARAMETER;
	return efi_create_event(type, tpl, fn, (void *)ctx, group, event);
}

static EFI_STATUS EFIAPI set_timer(EFI_EVENT event, EFI_TIMER_DELAY type, UINT64 time_100ns)
{
	struct efi_event *ev = find_event(event);
	uint64_t us = time_100ns / 10;

	if (!ev || !(ev->type & EVT_TIMER))
		return EFI_INVALID_PARAMETER;
	switch (type) {
	case TimerCancel:
		break;
	case TimerPeriodic:
		ev->period_us = MAX(us, 1);
		break;
	case TimerRelative:
		break;
	default:
		return EFI_INVALID_PARAMETER;
	}
	ev->timer = type;
	ev->trigger_us = timer_us() + us;
	return EFI_SUCCESS;
}

static EFI_STATUS check_event(struct efi_event *ev)
{
	if (!ev->signaled && (ev->type & EVT_NOTIFY_WAIT)) {
		EFI_TPL old = cur_tpl;

		cur_tpl = ev->tpl;
		ev->fn(ev, ev->ctx);
		cur_tpl = old;
	}
	if (!ev->signaled)
		return EFI_NOT_READY;
	ev->signaled = false;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI check_event_service(EFI_EVENT event)
{
	struct efi_event *ev = find_event(event);

	if (!ev || (ev->type & EVT_NOTIFY_SIGNAL))
		return EFI_INVALID_PARAMETER;
	efi_timer_check();
	return check_event(ev);
}

static EFI_STATUS EFIAPI wait_for_event(UINTN n, EFI_EVENT *list, UINTN *index)
{
	if (!n || !list || !index)
		return EFI_INVALID_PARAMETER;
	if (cur_tpl != TPL_APPLICATION)
		return EFI_UNSUPPORTED;
	for (UINTN i = 0; i < n; i++) {
		struct efi_event *ev = find_event(list[i]);

		if (!ev || (ev->type & EVT_NOTIFY_SIGNAL)) {
			*index = i;
			return EFI_INVALID_PARAMETER;
		}
	}
	/* As long as the image wants: the watchdog, if armed, bounds it. */
	for (;;) {
		efi_timer_check();
		for (UINTN i = 0; i < n; i++) {
			struct efi_event *ev = find_event(list[i]);

			if (!ev) { /* closed by a notify function meanwhile */
				*index = i;
				return EFI_INVALID_PARAMETER;
			}
			if (check_event(ev) == EFI_SUCCESS) {
				*index = i;
				return EFI_SUCCESS;
			}
		}
		arch_cpu_relax();
	}
}

static EFI_STATUS EFIAPI signal_event(EFI_EVENT event)
{
	return efi_signal_event(event);
}

static EFI_STATUS EFIAPI close_event(EFI_EVENT event)
{
	return efi_close_event(event);
}

static EFI_TPL EFIAPI raise_tpl(EFI_TPL tpl)
{
	EFI_TPL old = cur_tpl;

	if (tpl > cur_tpl && tpl <= TPL_HIGH_LEVEL)
		cur_tpl = tpl;
	return old;
}

static VOID EFIAPI restore_tpl(EFI_TPL tpl)
{
	if (tpl > cur_tpl)
		return;
	cur_tpl = tpl;
	dispatch();
}

/* Seconds of 0 disarm it. The watchdog code and data are not used: it resets. */
static EFI_STATUS EFIAPI set_watchdog_timer(UINTN seconds, UINT64 code, UINTN size, CHAR16 *data)
{
	watchdog_us = seconds ? timer_us() + (uint64_t)MIN(seconds, 1ull << 32) * 1000000 : 0;
	return EFI_SUCCESS;
}

void efi_event_services(EFI_BOOT_SERVICES *bs)
{
	bs->RaiseTPL = raise_tpl;
	bs->RestoreTPL = restore_tpl;
	bs->CreateEvent = create_event;
	bs->SetTimer = set_timer;
	bs->WaitForEvent = wait_for_event;
	bs->SignalEvent = signal_event;
	bs->CloseEvent = close_event;
	bs->CheckEvent = check_event_service;
	bs->CreateEventEx = create_event_ex;
	bs->SetWatchdogTimer = set_watchdog_timer;
}
