# SPDX-License-Identifier: MIT
test_device-srcs := drivers/core/device.c common/errstr.c
