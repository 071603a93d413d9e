# SPDX-License-Identifier: MIT
# Shared by test/unit and test/fuzz: the sandbox configuration's autoconf.h
# and the Xen headers, generated under $(obj) for host builds of our sources.
kconfigs := $(shell find . -name Kconfig -not -path './build*')
$(obj)/.config: configs/sandbox_defconfig $(kconfigs)
	$(Q)mkdir -p $(obj)
	$(Q)KCONFIG_CONFIG=$@ srctree=$(srctree) $(PYTHON) $(KCONFIGLIB)/defconfig.py \
		--kconfig Kconfig configs/sandbox_defconfig >/dev/null
	$(Q)touch $@ # kconfiglib leaves an unchanged .config alone: keep make from rebuilding forever
$(obj)/include/generated/autoconf.h: $(obj)/.config
	$(Q)mkdir -p $(dir $@)
	$(Q)KCONFIG_CONFIG=$< srctree=$(srctree) $(PYTHON) $(KCONFIGLIB)/genconfig.py \
		--header-path $@ Kconfig
	$(Q)touch $@
$(obj)/include/sys/.stamp: test/host-config.mk
	$(Q)mkdir -p $(dir $@)
	$(Q)ln -sfn /usr/include/xen $(dir $@)xen
	$(Q)ln -sfn /usr/include/efi $(dir $@)efi
	$(Q)ln -sf /usr/include/efi/x86_64/pe.h $(dir $@)efi_pe.h
	$(Q)touch $@
prep := $(obj)/include/generated/autoconf.h $(obj)/include/sys/.stamp

# Our sources, compiled for the host.
$(obj)/src/%.o: %.c | $(prep)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(SRC_CFLAGS) -c -o $@ $<
