// SPDX-License-Identifier: MIT
/*
 * Boot an arm64 Linux Image: every check comes first, so a failure returns
 * to the prompt with nothing torn down; only then the DT is fixed up, the
 * devices are quiesced and the arch layer jumps (MMU off, x0 = DT).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include <pvboot/arch.h>
#include <pvboot/board.h>
#include <pvboot/boot.h>
#include <pvboot/booti.h>
#include <pvboot/bootstage.h>
#include <pvboot/env.h>
#include <pvboot/fdt_check.h>
#include <pvboot/fs.h>
#include <pvboot/image.h>
#include <pvboot/memgate.h>
#include <pvboot/timer.h>

#define FDT_EXTRA_SPACE (16 * SZ_1K)

/* What the kernel must not be placed over: the initrd and the source DT. */
#define NR_AVOID 2

struct range {
	uint64_t start, end;
	const char *name;
};

static bool overlaps(const struct range *a, const struct range *b)
{
	return a->start < a->end && b->start < b->end && a->start < b->end && b->start < a->end;
}

static int check_disjoint(const struct range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (overlaps(&r[i], &r[j])) {
				printf("ERROR: %s [0x%llx-0x%llx) overlaps %s [0x%llx-0x%llx)\n",
				       r[i].name, (unsigned long long)r[i].start,
				       (unsigned long long)r[i].end, r[j].name,
				       (unsigned long long)r[j].start,
				       (unsigned long long)r[j].end);
				return -EFAULT;
			}
	return 0;
}

/* Upper bound for writes starting at dest that must not reach `avoid` ranges. */
static uint64_t room_at(uint64_t dest, const struct range *avoid, size_t n)
{
	uint64_t limit = board.reserved_start;

	for (size_t i = 0; i < n; i++)
		if (avoid[i].start >= dest && avoid[i].start < limit)
			limit = avoid[i].start;
	return limit > dest ? limit - dest : 0;
}

/* An EFI-stub Image says how long it is: a shorter one was cut. */
static int check_complete(const void *image, uint64_t len)
{
	uint64_t need = arm64_image_file_size(image, len);

	if (need > len) {
		printf(
		    "ERROR: Image is truncated: its PE header says %llu bytes, only %llu there\n",
		    (unsigned long long)need, (unsigned long long)len);
		return -ENOEXEC;
	}
	return 0;
}

/*
 * Where to inflate: as U-Boot does, move the compressed data to
 * kernel_comp_addr_r (if set and big enough) and inflate over the load
 * address; otherwise inflate just above the compressed data.
 */
static const void *gzip_source(const struct booti_args *a, const struct range avoid[NR_AVOID],
			       uint64_t *dest, struct range *comp)
{
	uint64_t at = env_get_hex("kernel_comp_addr_r", 0);
	uint64_t max = env_get_hex("kernel_comp_size", 0);
	struct range loaded = {a->kernel, a->kernel + a->kernel_len, "loaded kernel"};

	*comp = (struct range){at, at + a->kernel_len, "compressed kernel"};
	if (at && a->kernel_len <= max && !mem_gate(at, a->kernel_len, MEM_WRITE) &&
	    !overlaps(comp, &loaded) && !overlaps(comp, &avoid[0]) && !overlaps(comp, &avoid[1])) {
		memmove(phys_to_virt(at), phys_to_virt(a->kernel), a->kernel_len);
		*dest = ALIGN_UP(a->kernel, SZ_2M);
		return phys_to_virt(at);
	}
	*comp = (struct range){a->kernel, a->kernel + a->kernel_len, "compressed kernel"};
	*dest = ALIGN_UP(a->kernel + a->kernel_len, SZ_2M);
	return phys_to_virt(a->kernel);
}

static int place_gzip_kernel(const struct booti_args *a, const struct range avoid[NR_AVOID],
			     struct range *kr, uint64_t *entry)
{
	struct range all[NR_AVOID + 1] = {avoid[0], avoid[1]};
	struct arm64_image_info info;
	uint64_t t0 = timer_us(), dest, room;
	const void *src;
	size_t out;
	int err;

	if (!a->kernel_len) {
		printf("ERROR: size of the compressed Image unknown (load it first: filesize)\n");
		return -EINVAL;
	}
	src = gzip_source(a, avoid, &dest, &all[NR_AVOID]);
	room = room_at(dest, all, ARRAY_SIZE(all));
	printf("   Uncompressing Kernel Image to 0x%llx\n", (unsigned long long)dest);
	err = gunzip(phys_to_virt(dest), room, src, a->kernel_len, &out);
	if (err)
		return err;
	printf("   ");
	print_rate(out, timer_us() - t0);
	err = arm64_image_check(phys_to_virt(dest), out, &info);
	if (!err)
		err = check_complete(phys_to_virt(dest), out);
	if (err)
		return err;
	if (info.text_offset + info.image_size > room) {
		printf("ERROR: kernel needs 0x%llx bytes at 0x%llx, only 0x%llx free there\n",
		       (unsigned long long)(info.text_offset + info.image_size),
		       (unsigned long long)dest, (unsigned long long)room);
		return -EFBIG;
	}
	if (info.text_offset)
		memmove(phys_to_virt(dest + info.text_offset), phys_to_virt(dest), out);
	*kr = (struct range){dest, dest + info.text_offset + info.image_size, "kernel"};
	*entry = dest + info.text_offset;
	return 0;
}

static int place_kernel(const struct booti_args *a, const struct range avoid[NR_AVOID],
			struct range *kr, uint64_t *entry)
{
	const void *k = phys_to_virt(a->kernel);
	uint64_t avail = a->kernel_len ? a->kernel_len : sizeof(struct arm64_image_header);
	struct arm64_image_info info;
	uint64_t base;
	int err;

	if (is_gzip(k, avail))
		return place_gzip_kernel(a, avoid, kr, entry);
	err = arm64_image_check(k, avail, &info);
	if (!err && a->kernel_len)
		err = check_complete(k, a->kernel_len);
	if (err)
		return err;
	if (a->kernel_len && a->kernel_len > info.image_size) {
		printf("ERROR: file (0x%llx bytes) is larger than the Image says (0x%llx)\n",
		       (unsigned long long)a->kernel_len, (unsigned long long)info.image_size);
		return -ENOEXEC;
	}
	/* The boot protocol wants the Image text_offset bytes above a 2 MiB boundary. */
	base = a->kernel - info.text_offset;
	if (a->kernel < info.text_offset || !IS_ALIGNED(base, SZ_2M))
		base = ALIGN_UP(a->kernel, SZ_2M);
	*kr = (struct range){base, base + info.text_offset + info.image_size, "kernel"};
	*entry = base + info.text_offset;
	err = mem_gate(kr->start, kr->end - kr->start, MEM_WRITE);
	if (err)
		return err;
	err = check_disjoint((struct range[]){*kr, avoid[0], avoid[1]}, 3);
	if (err)
		return err;
	if (*entry != a->kernel) {
		printf("   Moving Image from 0x%llx to 0x%llx\n", (unsigned long long)a->kernel,
		       (unsigned long long)*entry);
		memmove(phys_to_virt(*entry), k, a->kernel_len ? a->kernel_len : info.image_size);
	}
	return 0;
}

static int prepare_fdt(const struct booti_args *a, const struct range *kr, const struct range *ir,
		       uintptr_t *out)
{
	uintptr_t src = a->fdt ? a->fdt : env_get_hex("fdtcontroladdr", board.fdt);
	uintptr_t dst = env_get_hex("fdt_addr_r", 0);
	const char *bootargs = a->bootargs ? a->bootargs : env_get("bootargs");
	struct range fr;
	uint32_t size;
	int err;

	const char *why;

	if (fdt_validate(phys_to_virt(src), FDT_MAX_SIZE, &why)) {
		printf("ERROR: no valid device tree at 0x%lx: %s\n", (unsigned long)src, why);
		return -EINVAL;
	}
	if (!dst) {
		printf("ERROR: fdt_addr_r is not set: nowhere to put the OS's device tree\n");
		return -EINVAL;
	}
	size =
	    fdt_totalsize(phys_to_virt(src)) + FDT_EXTRA_SPACE + (bootargs ? strlen(bootargs) : 0);
	fr = (struct range){dst, dst + size, "device tree"};
	err = mem_gate(dst, size, MEM_WRITE);
	if (!err)
		err = check_disjoint((struct range[]){fr, *kr, *ir}, 3);
	if (err)
		return err;
	/* Work on a copy: pvboot's own DT stays intact if anything fails later. */
	err = fdt_open_into(phys_to_virt(src), phys_to_virt(dst), size);
	if (err) {
		printf("ERROR: cannot copy the device tree: %s\n", fdt_strerror(err));
		return -EINVAL;
	}
	err = fdt_fixup_chosen(phys_to_virt(dst), bootargs, ir->start, ir->end);
	if (err)
		return err;
	fdt_pack(phys_to_virt(dst));
	printf(
	    "## Flattened Device Tree blob at %08lx\n   Loading Device Tree to %08lx, end %08lx\n",
	    (unsigned long)src, (unsigned long)dst,
	    (unsigned long)(dst + fdt_totalsize(phys_to_virt(dst)) - 1));
	*out = dst;
	return 0;
}

int booti_boot(const struct booti_args *a)
{
	struct range ir = {a->initrd, a->initrd + a->initrd_len, "initrd"};
	uintptr_t fdt_src = a->fdt ? a->fdt : env_get_hex("fdtcontroladdr", board.fdt);
	const void *fdt_p = phys_to_virt(fdt_src);
	const char *why;
	uint64_t fdt_len = fdt_validate(fdt_p, FDT_MAX_SIZE, &why) ? 0 : fdt_totalsize(fdt_p);
	struct range avoid[NR_AVOID] = {ir, {fdt_src, fdt_src + fdt_len, "source device tree"}};
	struct range kr;
	uint64_t entry;
	uintptr_t fdt;
	int err;

	if (a->initrd_len) {
		err = mem_gate(ir.start, a->initrd_len, MEM_WRITE);
		if (err)
			return err;
		printf("## Loading init Ramdisk at 0x%llx, size 0x%llx\n",
		       (unsigned long long)ir.start, (unsigned long long)a->initrd_len);
	}
	err = place_kernel(a, avoid, &kr, &entry);
	if (err)
		return err;
	err = prepare_fdt(a, &kr, &ir, &fdt);
	if (err)
		return err;

	printf("\nStarting kernel ...\n\n");
	bootstage_mark("handoff");
	err = handoff_prepare();
	if (err) {
		printf("ERROR: devices could not be handed over cleanly (%d): not booting\n", err);
		return err;
	}
	arch_boot_linux(entry, fdt);
}
