# SPDX-License-Identifier: MIT
test_env-srcs := env/env.c env/env_default.c common/version.c
