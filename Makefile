# SPDX-License-Identifier: MIT
#
# pvboot top-level Makefile.
#   make [O=dir] xenguest_arm64_defconfig && make [O=dir]   -> dir/pvboot.bin
#   make [O=dir] sandbox_defconfig && make [O=dir]          -> dir/pvboot-sandbox
#   make menuconfig | savedefconfig | check | bench | fuzz | demo

srctree := $(CURDIR)
O ?= build
obj := $(abspath $(O))
PYTHON := /usr/bin/python3
KCONFIGLIB := /usr/lib/python3/dist-packages
PVBOOT_CACHE ?= $(HOME)/.cache/pvboot
export PVBOOT_CACHE
kenv := KCONFIG_CONFIG=$(obj)/.config srctree=$(srctree)

.DEFAULT_GOAL := all
Q := $(if $(V),,@)

# ---- Kconfig ---------------------------------------------------------------
%_defconfig:
	$(Q)mkdir -p $(obj)
	$(Q)$(kenv) $(PYTHON) $(KCONFIGLIB)/defconfig.py --kconfig Kconfig configs/$@
menuconfig:
	$(Q)mkdir -p $(obj)
	$(Q)$(kenv) $(PYTHON) $(KCONFIGLIB)/menuconfig.py Kconfig
olddefconfig:
	$(Q)$(kenv) $(PYTHON) $(KCONFIGLIB)/olddefconfig.py Kconfig
savedefconfig:
	$(Q)$(kenv) $(PYTHON) $(KCONFIGLIB)/savedefconfig.py --kconfig Kconfig --out $(obj)/defconfig
	@echo "  GEN     $(obj)/defconfig"
.PHONY: menuconfig olddefconfig savedefconfig

config-goals := %_defconfig menuconfig olddefconfig savedefconfig
non-build-goals := $(config-goals) clean distclean check check-unit check-sandbox \
	check-system check-fuzz check-lint check-arm64 check-layering check-kconfig fuzz bench \
	demo format deps

ifeq ($(filter-out $(non-build-goals),$(or $(MAKECMDGOALS),all)),)
# Nothing to build here.
else
ifeq ($(wildcard $(obj)/.config),)
$(error no $(obj)/.config: run 'make O=$(O) xenguest_arm64_defconfig' or 'make O=$(O) sandbox_defconfig' first)
endif
include $(obj)/.config

$(obj)/include/generated/autoconf.h: $(obj)/.config $(shell find . -name Kconfig -not -path './build*')
	$(Q)mkdir -p $(dir $@)
	$(Q)$(kenv) $(PYTHON) $(KCONFIGLIB)/genconfig.py --header-path $@ Kconfig
	$(Q)touch $@ # kconfiglib leaves an unchanged header alone

# ---- Toolchains and flags ---------------------------------------------------
WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wvla
BASE_CFLAGS := -std=gnu11 -Os -g -ffreestanding -fno-common -ffunction-sections \
	-fdata-sections $(WARN) -I$(srctree)/include -I$(obj)/include \
	-include $(obj)/include/generated/autoconf.h -MMD -MP \
	-D__XEN_INTERFACE_VERSION__=0x00040e00

ifeq ($(CONFIG_ARM64),y)
CROSS_COMPILE ?= aarch64-linux-gnu-
ARCH := arm64
TARGET_LIBS := $(PVBOOT_CACHE)/arm64-libs
# Named after what fetch-arm64-libs unpacks, so adding a package fetches again.
TARGET_LIBS_STAMP := $(TARGET_LIBS)/.stamp-fdt-z-gnuefi
CC := $(CROSS_COMPILE)gcc
OBJCOPY := $(CROSS_COMPILE)objcopy
NM := $(CROSS_COMPILE)nm
CFLAGS := $(BASE_CFLAGS) -I$(srctree)/include/libc -isystem $(obj)/include/sys \
	-fpie -mgeneral-regs-only -mstrict-align -fstack-protector-strong -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include)
ASFLAGS := $(CFLAGS) -D__ASSEMBLY__
LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,-z,norelro -Wl,--gc-sections \
	-Wl,-z,noexecstack -Wl,--build-id=none -Wl,-T,$(srctree)/arch/arm64/pvboot.lds \
	-Wl,-Map,$(obj)/pvboot.map
LIBS := $(TARGET_LIBS)/usr/lib/aarch64-linux-gnu/libfdt.a $(TARGET_LIBS)/usr/lib/aarch64-linux-gnu/libz.a -lgcc
TARGETS := $(obj)/pvboot.bin
# Smaller code (what each saves: docs/uefi.md, "Size"). No frame pointers: nothing
# walks them (crash reports print the registers), and they cost 5 KiB.
CFLAGS += -fomit-frame-pointer
# The whole image (code, data, bss, stacks: about 530 KiB) lies within 1 MiB,
# so one ADR reaches any symbol where the small model needs ADRP+ADD: 10 KiB
# less code. Should the image outgrow 1 MiB, the link fails ("relocation
# truncated to fit"), it cannot mislink.
CFLAGS += -mcmodel=tiny
# Link-time optimisation (LTO=n to build without). One partition gives the
# smallest code. maybe-uninitialized is checked per file when compiling; at
# link time GCC 12 reports paths across files that cannot happen.
LTO ?= y
ifeq ($(LTO),y)
CFLAGS += -flto
LDFLAGS += -flto-partition=one -Wno-maybe-uninitialized
endif
else
ARCH := sandbox
CC := gcc
SANITIZE ?= -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
CFLAGS := $(BASE_CFLAGS) -O1 -isystem $(obj)/include/sys $(SANITIZE) -D_GNU_SOURCE
LDFLAGS := $(SANITIZE)
LIBS := -lfdt -lz
TARGETS := $(obj)/pvboot-sandbox
endif

# ---- Objects: every subsystem folder has a Makefile that adds to obj-y -----
subdirs := $(sort $(patsubst %/Makefile,%,$(wildcard lib/Makefile common/Makefile \
	xen/Makefile drivers/*/Makefile disk/Makefile fs/Makefile fs/*/Makefile \
	net/Makefile env/Makefile shell/Makefile boot/Makefile efi/Makefile \
	cmd/Makefile init/Makefile arch/$(ARCH)/Makefile arch/$(ARCH)/*/Makefile)))
objs :=
define add-subdir
obj-y :=
include $(1)/Makefile
objs += $$(addprefix $(obj)/$(1)/,$$(obj-y))
endef
$(foreach d,$(subdirs),$(eval $(call add-subdir,$(d))))

all: $(TARGETS)
	@true

# The objects of this configuration (scripts/check-layering reads them).
print-objs:
	@echo $(objs)
.PHONY: print-objs

# System headers we may use on the target: Xen ABI from libxen-dev, libfdt and
# zlib, and the UEFI ABI from gnu-efi (see include/pvboot/efi_abi.h).
$(obj)/include/sys/.stamp: Makefile | $(if $(filter arm64,$(ARCH)),$(TARGET_LIBS_STAMP))
	$(Q)mkdir -p $(dir $@)
	$(Q)ln -sfn /usr/include/xen $(dir $@)xen
	$(Q)ln -sf /usr/include/efi/x86_64/pe.h $(dir $@)efi_pe.h
ifeq ($(ARCH),arm64)
	$(Q)for h in libfdt.h libfdt_env.h fdt.h zlib.h zconf.h; do \
		ln -sf $(TARGET_LIBS)/usr/include/$$h $(dir $@)$$h; done
	$(Q)ln -sfn $(TARGET_LIBS)/usr/include/efi $(dir $@)efi
else
	$(Q)ln -sfn /usr/include/efi $(dir $@)efi
endif
	$(Q)touch $@

$(TARGET_LIBS_STAMP):
	$(Q)$(srctree)/scripts/fetch-arm64-libs $(TARGET_LIBS)

$(objs): | $(obj)/include/sys/.stamp $(obj)/include/generated/autoconf.h
$(obj)/%.o: %.c $(obj)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<
$(obj)/%.o: %.S $(obj)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(ASFLAGS) -c -o $@ $<

$(obj)/pvboot: $(objs) arch/arm64/pvboot.lds
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(objs) $(LIBS)
	$(Q)$(srctree)/scripts/check-relocs $@

$(obj)/pvboot.bin: $(obj)/pvboot
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@
	$(Q)$(srctree)/scripts/pack-relocs $< $@
	$(Q)$(srctree)/scripts/check-image $@ $<
	@echo "  SIZE    $@: $$(stat -c %s $@) bytes"

# With UEFI, also build the same configuration without it (in $(obj)/no-efi)
# and say what UEFI costs: pvboot.bin has a size budget with and without it.
# SIZE_WITHOUT_EFI=n skips that (scripts/check-kconfig builds it anyway).
SIZE_WITHOUT_EFI ?= y
ifeq ($(ARCH)$(CONFIG_EFI_LOADER)$(SIZE_WITHOUT_EFI),arm64yy)
all: size-without-efi
size-without-efi: $(obj)/pvboot.bin
	$(Q)mkdir -p $(obj)/no-efi
	$(Q)sed 's/^CONFIG_EFI_LOADER=y$$/# CONFIG_EFI_LOADER is not set/' $(obj)/.config \
		>$(obj)/no-efi/.config.new
	$(Q)cmp -s $(obj)/no-efi/.config.new $(obj)/no-efi/.config.in || { \
		cp $(obj)/no-efi/.config.new $(obj)/no-efi/.config.in; \
		cp $(obj)/no-efi/.config.new $(obj)/no-efi/.config; \
		KCONFIG_CONFIG=$(obj)/no-efi/.config srctree=$(srctree) $(PYTHON) \
			$(KCONFIGLIB)/olddefconfig.py Kconfig >/dev/null; }
	$(Q)$(MAKE) -s --no-print-directory O=$(obj)/no-efi >$(obj)/no-efi/build.log 2>&1 || \
		{ cat $(obj)/no-efi/build.log; exit 1; }
	@with=$$(stat -c %s $<); without=$$(stat -c %s $(obj)/no-efi/pvboot.bin); \
		echo "  SIZE    pvboot.bin: $$with bytes with UEFI, $$without without" \
			"(UEFI: $$((with - without)) bytes)"
.PHONY: size-without-efi
endif

$(obj)/pvboot-sandbox: $(objs)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $(objs) $(LIBS)

-include $(objs:.o=.d)
endif

# ---- Tests and tools --------------------------------------------------------
check: check-unit check-arm64 check-sandbox check-fuzz check-lint check-layering check-kconfig \
	check-system
check-unit:
	$(Q)$(MAKE) -f test/unit/Makefile O=$(O)/unit
check-sandbox:
	$(Q)scripts/build sandbox $(O)/sandbox && test/sandbox/run $(O)/sandbox/pvboot-sandbox
check-fuzz:
	$(Q)$(MAKE) -f test/fuzz/Makefile O=$(O)/fuzz run FUZZ_SECONDS=$${FUZZ_SECONDS:-20}
fuzz:
	$(Q)$(MAKE) -f test/fuzz/Makefile O=$(O)/fuzz run FUZZ_SECONDS=$${FUZZ_SECONDS:-600}
check-arm64:
	$(Q)scripts/build xen $(O)/xen && test/arm64/run $(O)/xen/pvboot.bin $(O)/xen/pvboot
check-lint:
	$(Q)scripts/lint $(O)/lint
check-layering:
	$(Q)scripts/build xen $(O)/xen && scripts/build sandbox $(O)/sandbox && \
		scripts/check-layering $(O)/xen $(O)/sandbox
check-kconfig:
	$(Q)scripts/check-kconfig $(O)/kconfig
# The Xen versions the system tests run on (each a Debian release's): XEN=4.20 for one.
XEN ?= 4.17 4.20
# More arguments for test/system/run, e.g. SYSTEM_ARGS=--opt-in or SYSTEM_ARGS="--only banner".
SYSTEM_ARGS ?=
check-system:
	$(Q)scripts/build xen $(O)/xen && \
	test/system/run --pvboot $(O)/xen/pvboot.bin $(foreach v,$(XEN),--xen $(v)) $(SYSTEM_ARGS)
bench:
	$(Q)scripts/bench $(O)
demo:
	$(Q)scripts/deps && scripts/build xen $(O)/xen && \
	test/system/demo --pvboot $(O)/xen/pvboot.bin $(if $(filter 1,$(words $(XEN))),--xen $(XEN))
format:
	$(Q)git ls-files '*.c' '*.h' | xargs clang-format -i
clean:
	rm -rf $(obj)
distclean: clean
.PHONY: all check check-unit check-arm64 check-sandbox check-system check-fuzz check-lint \
	check-layering check-kconfig fuzz bench demo format clean distclean
