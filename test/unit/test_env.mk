# SPDX-License-Identifier: MIT
test_env-srcs := common/env.c common/env_default.c common/version.c
