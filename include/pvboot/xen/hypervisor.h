/* SPDX-License-Identifier: MIT */
/*
 * Xen core: hypercall wrappers, shared_info, HVM params, version.
 * ABI types come from Debian's libxen-dev (<xen/...>), never copied.
 */
#ifndef PVBOOT_XEN_HYPERVISOR_H
#define PVBOOT_XEN_HYPERVISOR_H

#include <pvboot/compiler.h>
#include <pvboot/arch.h>
#include <xen/xen.h>

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
	return arch_hypercall(__HYPERVISOR_xen_version, cmd, (unsigned long)arg, 0, 0, 0);
}

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
	return arch_hypercall(__HYPERVISOR_memory_op, cmd, (unsigned long)arg, 0, 0, 0);
}

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	return arch_hypercall(__HYPERVISOR_event_channel_op, cmd, (unsigned long)arg, 0, 0, 0);
}

static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{
	return arch_hypercall(__HYPERVISOR_grant_table_op, cmd, (unsigned long)uop, count, 0, 0);
}

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
	return arch_hypercall(__HYPERVISOR_sched_op, cmd, (unsigned long)arg, 0, 0, 0);
}

static inline long HYPERVISOR_hvm_op(int cmd, void *arg)
{
	return arch_hypercall(__HYPERVISOR_hvm_op, cmd, (unsigned long)arg, 0, 0, 0);
}

static inline long HYPERVISOR_console_io(int cmd, int count, const char *str)
{
	return arch_hypercall(__HYPERVISOR_console_io, cmd, count, (unsigned long)str, 0, 0);
}

/* HVMOP_get_param. Returns 0 or -errno. */
int hvm_get_param(int idx, uint64_t *value);

/* Map shared_info (XENMAPSPACE_shared_info) into a page of ours; 0 or -errno. */
int xen_hypervisor_init(void);
/* Take shared_info out of the physmap and repopulate the page (before booting an OS). */
int xen_hypervisor_teardown(void);
struct shared_info *xen_shared_info(void);

/* "4.17" and extra version, or an error string; filled by xen_hypervisor_init. */
const char *xen_version_string(void);

#endif
