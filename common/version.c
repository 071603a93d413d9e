// SPDX-License-Identifier: MIT
/* The one place the build date is expanded (banner, `version` and ${ver} agree). */
#include <pvboot/version.h>

const char pvboot_version_string[] = "pvboot " PVBOOT_VERSION " (" __DATE__ " - " __TIME__ ")";
