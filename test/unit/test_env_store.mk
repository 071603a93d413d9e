# SPDX-License-Identifier: MIT
# Checked against U-Boot's own tools where the host has them: mkenvimage
# (u-boot-tools) and fw_printenv/fw_setenv (libubootenv-tool).
test_env_store-srcs := env/env.c env/env_default.c common/version.c lib/crc32.c \
	common/errstr.c env/env_image.c env/env_store.c
