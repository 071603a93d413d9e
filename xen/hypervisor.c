// SPDX-License-Identifier: MIT
/*
 * Xen core: HVM params, the shared_info page and the version string.
 *
 * shared_info is mapped into a page of our own heap (XENMAPSPACE_shared_info)
 * and vcpu_info[0] inside it is used; VCPUOP_register_vcpu_info is never
 * called because Xen allows it once per vCPU and that once belongs to the OS
 * we boot. The RAM page behind it is given back first, and before the OS
 * starts the mapping is taken out of the physmap and the RAM repopulated,
 * or the OS's own shared_info would be corrupted (U-Boot's bug until 2022).
 */
/* Structured guest handles (set_xen_guest_handle) on every arch, sandbox included. */
#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/log.h>
#include <pvboot/xen/hypervisor.h>
#include <pvboot/xen/stats.h>
#include <xen/memory.h>
#include <xen/version.h>
#include <xen/hvm/hvm_op.h>

static struct shared_info *shared_info;
static uint64_t shared_info_gpfn;
static char version[48] = "unknown";

int hvm_get_param(int idx, uint64_t *value)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF, .index = idx};
	long rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);

	if (rc < 0)
		return (int)rc;
	*value = p.value;
	return 0;
}

static void read_version(void)
{
	xen_extraversion_t extra = {0};
	long v = HYPERVISOR_xen_version(XENVER_version, NULL);

	if (v < 0) {
		snprintf(version, sizeof(version), "unknown (error %ld)", v);
		return;
	}
	if (HYPERVISOR_xen_version(XENVER_extraversion, extra) < 0)
		extra[0] = '\0';
	extra[sizeof(extra) - 1] = '\0'; /* Xen's string, bound it anyway */
	snprintf(version, sizeof(version), "%lu.%lu%s", (unsigned long)v >> 16,
		 (unsigned long)v & 0xffff, extra);
}

/*
 * Give back the RAM page behind gpfn before shared_info is mapped there. Xen
 * on Arm does not free a page that a mapping replaces: the domain would own
 * a page more than it was given, and with no slack above its memory (a
 * dom0less domain) the page could not be populated again at hand-off.
 */
static long release_ram_page(xen_pfn_t gpfn)
{
	struct xen_memory_reservation res = {.domid = DOMID_SELF, .nr_extents = 1};

	set_xen_guest_handle(res.extent_start, &gpfn);
	return HYPERVISOR_memory_op(XENMEM_decrease_reservation, &res);
}

static long populate_page(xen_pfn_t gpfn)
{
	struct xen_memory_reservation res = {.domid = DOMID_SELF, .nr_extents = 1};

	set_xen_guest_handle(res.extent_start, &gpfn);
	return HYPERVISOR_memory_op(XENMEM_populate_physmap, &res);
}

int xen_hypervisor_init(void)
{
	struct xen_add_to_physmap xatp;
	void *page;
	long rc, released;

	if (shared_info)
		return 0;
	read_version();
	page = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!page)
		return -ENOMEM;
	memset(page, 0, PAGE_SIZE);
	xatp = (struct xen_add_to_physmap){
	    .domid = DOMID_SELF,
	    .space = XENMAPSPACE_shared_info,
	    .idx = 0,
	    .gpfn = virt_to_pfn(page),
	};
	released = release_ram_page(xatp.gpfn);
	if (released != 1)
		pr_warn("xen: cannot give back the page behind shared_info (result %ld)\n",
			released);
	rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
	if (rc < 0) {
		pr_err("xen: cannot map shared_info (error %ld)\n", rc);
		/* A hole the heap must never hand out, unless RAM is back behind it. */
		if (released != 1 || populate_page(xatp.gpfn) == 1)
			free(page);
		return (int)rc;
	}
	shared_info_gpfn = xatp.gpfn;
	shared_info = page;
	return 0;
}

int xen_hypervisor_teardown(void)
{
	struct xen_remove_from_physmap xrfp = {.domid = DOMID_SELF};
	xen_pfn_t gpfn = shared_info_gpfn;
	void *page = shared_info;
	long rc;

	if (!shared_info)
		return 0;
	xrfp.gpfn = gpfn;
	rc = HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &xrfp);
	if (rc < 0) {
		pr_err("xen: cannot unmap shared_info (error %ld)\n", rc);
		return (int)rc;
	}
	/* The gfn is now a hole in RAM: put a fresh page of RAM back. */
	rc = populate_page(gpfn);
	shared_info = NULL;
	shared_info_gpfn = 0;
	if (rc != 1) {
		pr_err("xen: cannot repopulate the shared_info page (result %ld)\n", rc);
		/* Not freed: the gfn is a hole now, the heap must never hand it out. */
		return rc < 0 ? (int)rc : -ENOMEM;
	}
	free(page); /* ordinary RAM again */
	return 0;
}

struct shared_info *xen_shared_info(void)
{
	return shared_info;
}

uint64_t xen_shared_info_gpfn(void)
{
	return shared_info_gpfn;
}

const char *xen_version_string(void)
{
	return version;
}
