// SPDX-License-Identifier: MIT
/*
 * Leave nothing behind for the OS: the device registry removes every device
 * that holds a backend (each disconnects, so that the OS's frontends can
 * reconnect, and ends its grants), then the Xen services release every
 * grant and event channel and give shared_info back.
 */
#include <pvboot/boot.h>
#include <pvboot/bootstage.h>
#include <pvboot/console.h>
#include <pvboot/device.h>
#include <pvboot/env.h>
#include <pvboot/xen/init.h>

/* $bootstage_report as U-Boot reads a flag: 1/y/Y/t/T on; unset or anything else off. */
static bool report_wanted(void)
{
	const char *v = env_get("bootstage_report");

	return v && (*v == '1' || *v == 'y' || *v == 'Y' || *v == 't' || *v == 'T');
}

void handoff_report(void)
{
	bootstage_mark("handoff");
	if (report_wanted())
		bootstage_report();
}

int handoff_prepare(void)
{
	int err = device_remove_all(DEVICE_FLAG_OS_PREPARE);

	console_flush();
	return err ? err : xen_services_teardown();
}

int handoff_release_all(void)
{
	int err = device_remove_all(DEVICE_FLAG_OS_PREPARE);
	int teardown;

	console_flush();
	teardown = xen_services_teardown();
	return err ? err : teardown;
}
