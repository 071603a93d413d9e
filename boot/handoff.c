// SPDX-License-Identifier: MIT
/*
 * Leave nothing behind for the OS: the device registry removes every device
 * that holds a backend (each disconnects, so that the OS's frontends can
 * reconnect, and ends its grants), then the Xen services release every
 * grant and event channel and give shared_info back.
 */
#include <pvboot/boot.h>
#include <pvboot/console.h>
#include <pvboot/device.h>
#include <pvboot/xen/init.h>

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
