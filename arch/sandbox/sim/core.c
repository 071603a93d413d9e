// SPDX-License-Identifier: MIT
/*
 * The simulated hypervisor's core: guest memory layout, the registry of
 * backends polled from the guest's idle loops, violation accounting and
 * the hand-off state. Single-threaded by design: the guest's polling loops
 * (arch_cpu_relax) are the only scheduler.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include "sim_internal.h"

static struct sim_layout layout;
static struct sim_backend *backends;
static unsigned int violations;
static uint64_t last_activity;

#define MAX_HOLES 16
static uint64_t holes[MAX_HOLES];
static unsigned int nr_holes;

static void log_va(const char *prefix, const char *fmt, va_list ap)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%s", prefix);

	vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	n = strlen(buf);
	if (n && buf[n - 1] != '\n')
		buf[n++] = '\n';
	/* Our printf family writes to the guest console: go straight to fd 2. */
	if (write(2, buf, n) < 0)
		return;
}

void sim_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_va("sim: ", fmt, ap);
	va_end(ap);
}

void sim_violation(const char *fmt, ...)
{
	va_list ap;

	violations++;
	va_start(ap, fmt);
	log_va("sim: VIOLATION: ", fmt, ap);
	va_end(ap);
}

unsigned int sim_violations(void)
{
	return violations;
}

uint64_t sim_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void sim_note_activity(void)
{
	last_activity = sim_now_ns();
}

uint64_t sim_last_activity(void)
{
	return last_activity;
}

void sim_set_layout(const struct sim_layout *l)
{
	layout = *l;
}

const struct sim_layout *sim_get_layout(void)
{
	return &layout;
}

bool sim_gpa_is_ram(uint64_t gpa, uint64_t len)
{
	return len <= layout.ram_size && gpa >= layout.ram_base &&
	       gpa - layout.ram_base <= layout.ram_size - len;
}

void *sim_gfn_to_ptr(uint64_t gfn)
{
	if (gfn > (UINT64_MAX >> PAGE_SHIFT) || !sim_gpa_is_ram(gfn << PAGE_SHIFT, PAGE_SIZE))
		return NULL;
	for (unsigned int i = 0; i < nr_holes; i++)
		if (holes[i] == gfn)
			return NULL;
	return (void *)(uintptr_t)(gfn << PAGE_SHIFT);
}

void *sim_magic_page(unsigned int which)
{
	return (void *)(uintptr_t)(layout.magic_base + (uint64_t)which * PAGE_SIZE);
}

/*
 * A gfn taken out of the physmap is a hole: on Xen touching it faults, so
 * make it fault here too (mprotect), until XENMEM_populate_physmap.
 */
void sim_hole_add(uint64_t gpfn)
{
	if (nr_holes == MAX_HOLES) {
		sim_violation("more than %d pages removed from the physmap and not repopulated",
			      MAX_HOLES);
		return;
	}
	holes[nr_holes++] = gpfn;
	mprotect((void *)(uintptr_t)(gpfn << PAGE_SHIFT), PAGE_SIZE, PROT_NONE);
}

bool sim_hole_has(uint64_t gpfn)
{
	for (unsigned int i = 0; i < nr_holes; i++)
		if (holes[i] == gpfn)
			return true;
	return false;
}

static uint64_t stranded_pages;

void sim_page_stranded(uint64_t gpfn)
{
	stranded_pages++;
	sim_log("the RAM page at gfn 0x%llx was mapped over: it stays the domain's, unreachable",
		(unsigned long long)gpfn);
}

bool sim_may_allocate_page(void)
{
	uint64_t ram = layout.ram_size >> PAGE_SHIFT;
	uint64_t limit = ram + (uint64_t)sim_fault_value("mem-slack", 256);

	if (ram - nr_holes + stranded_pages + 1 <= limit)
		return true;
	sim_log("over-allocation: %llu pages > %llu",
		(unsigned long long)(ram - nr_holes + stranded_pages + 1),
		(unsigned long long)limit);
	return false;
}

int sim_hole_fill(uint64_t gpfn)
{
	for (unsigned int i = 0; i < nr_holes; i++) {
		if (holes[i] != gpfn)
			continue;
		holes[i] = holes[--nr_holes];
		void *p = (void *)(uintptr_t)(gpfn << PAGE_SHIFT);
		if (mprotect(p, PAGE_SIZE, PROT_READ | PROT_WRITE))
			return -ENOMEM;
		memset(p, 0, PAGE_SIZE); /* a fresh page from Xen */
		return 0;
	}
	return -EBUSY; /* populated already: Xen fails the extent */
}

void sim_backend_register(struct sim_backend *be)
{
	struct sim_backend **pp = &backends;

	while (*pp)
		pp = &(*pp)->next;
	be->next = NULL;
	*pp = be;
}

void sim_run_backends(void)
{
	for (struct sim_backend *be = backends; be; be = be->next)
		be->poll(be);
}

void sim_get_state(struct sim_state *st)
{
	memset(st, 0, sizeof(*st));
	st->violations = violations;
	st->gnttab_frames = sim_gnttab_frames();
	st->grants_active = sim_gnttab_active();
	st->gnttab_mapped = sim_gnttab_mapped();
	st->ports_open = sim_evtchn_open_count();
	st->shared_info_mapped = sim_shinfo_mapped();
	st->holes = nr_holes;
	st->runstate_registered = sim_runstate_registered();
}

static void attach_disks(void)
{
	sim_xs_populate_disks();
	for (unsigned int i = 0; i < sim_disk_count(); i++) {
		struct sim_disk *d = sim_disk_get(i);
		int err = sim_blkback_attach ? sim_blkback_attach(d) : -ENOSYS;

		if (err)
			sim_log("--disk %s: no block backend (%s)", d->path,
				err == -ENOSYS ? "not built in" : strerror(-err));
	}
}

/*
 * blk-attach-late[=MS]: the disks appear in XenStore MS ms (default 2000)
 * after the start, as `xl block-attach` adds them to a dom0less domain
 * once dom0 is up.
 */
static struct sim_backend late_attacher;
static uint64_t attach_at_ns;

static void late_attach_poll(struct sim_backend *be)
{
	(void)be;
	if (!attach_at_ns || sim_now_ns() < attach_at_ns)
		return;
	attach_at_ns = 0;
	sim_log("fault blk-attach-late: attaching the disks now");
	attach_disks();
}

void sim_init(void)
{
	sim_vcpu_switched_in(); /* the domain's unpause */
	sim_evtchn_init();
	sim_xenstored_init(); /* port 1, as xl gives the store */
	sim_consback_init();  /* port 2 */
	sim_xs_populate();
	if (sim_fault("blk-attach-late")) {
		attach_at_ns =
		    sim_now_ns() + (uint64_t)sim_fault_value("blk-attach-late", 2000) * 1000000;
		late_attacher.name = "blk-attach-late";
		late_attacher.poll = late_attach_poll;
		sim_backend_register(&late_attacher);
	} else {
		attach_disks();
	}
	for (unsigned int i = 0; i < sim_vif_count(); i++) {
		struct sim_vif *v = sim_vif_get(i);
		int err = sim_netback_attach ? sim_netback_attach(v) : -ENOSYS;

		if (err)
			sim_log("--vif %s: no network backend (%s)", v->root,
				err == -ENOSYS ? "not built in" : strerror(-err));
	}
	sim_note_activity();
}
