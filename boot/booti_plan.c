// SPDX-License-Identifier: MIT
/*
 * Planning a booti: every check and every placement, before anything moves.
 * The planner reads only ranges the memory gate allowed, writes nothing but
 * the plan and a heap copy of the DT, and keeps no state: the same inputs
 * give the same plan (a fuzz harness drives it over hostile headers and
 * addresses). A gzip'd Image is run through zlib once here, to learn its
 * real inflated length; the room it gets is checked against that length.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <pvboot/arch.h>
#include <pvboot/booti.h>
#include <pvboot/bootstage.h>
#include <pvboot/fdt_check.h>
#include <pvboot/image.h>
#include <pvboot/legacy_image.h>

/* Room in the OS's copy of the DT for what the fixups add. */
#define FDT_EXTRA_SPACE (16 * SZ_1K)
/* Inflated bytes kept for the Image and PE/COFF headers. */
#define GZIP_HEAD_LEN 4096

static int gate_read(const struct mem_map *map, uint64_t addr, uint64_t len)
{
	return mem_gate_map(map, addr, len, MEM_READ, NULL, 0, false);
}

static int gate_write(const struct mem_map *map, const struct mem_range *r,
		      const struct mem_range *busy, size_t n_busy)
{
	return mem_gate_map(map, r->start, r->end - r->start, MEM_WRITE, busy, n_busy, false);
}

/* An initrd given with its size, or a legacy ramdisk image whose header says it. */
static int plan_initrd(const struct booti_args *a, const struct mem_map *map, struct booti_plan *p)
{
	struct legacy_image img;
	uint64_t avail;
	int err;

	if (!a->has_initrd)
		return 0;
	if (a->initrd_len) {
		p->initrd = (struct mem_range){a->initrd, a->initrd + a->initrd_len, "the initrd"};
		return mem_gate_map(map, a->initrd, a->initrd_len, MEM_WRITE, NULL, 0, false);
	}
	err = gate_read(map, a->initrd, sizeof(struct legacy_image_header));
	if (err)
		return err;
	if (!legacy_image_magic(phys_to_virt(a->initrd), sizeof(struct legacy_image_header))) {
		printf("Initrd at 0x%llx has no size: use addr:size (e.g. "
		       "${ramdisk_addr_r}:${filesize})\n",
		       (unsigned long long)a->initrd);
		return -EINVAL;
	}
	/* The header's size is believed only within what was loaded, or can be read. */
	avail = a->initrd_loaded ? a->initrd_loaded : mem_gate_readable(map, a->initrd);
	err = gate_read(map, a->initrd, avail);
	if (!err)
		err = legacy_image_check(phys_to_virt(a->initrd), avail, &img);
	if (err)
		return err;
	if (img.type != IH_TYPE_RAMDISK) {
		printf("Image at 0x%llx is not a ramdisk image\n", (unsigned long long)a->initrd);
		return -EINVAL;
	}
	p->initrd = (struct mem_range){virt_to_phys(img.data), virt_to_phys(img.data) + img.size,
				       "the initrd"};
	return gate_write(map, &p->initrd, NULL, 0);
}

/* The DT to pass on, walked in full before libfdt sees it. */
static int plan_fdt_source(const struct booti_args *a, const struct booti_env *e,
			   const struct mem_map *map, struct booti_plan *p)
{
	uint64_t src = a->has_fdt ? a->fdt : e->fdt;
	const char *why;
	int err = gate_read(map, src, sizeof(struct fdt_header));

	if (err)
		return err;
	if (fdt_validate(phys_to_virt(src),
			 MIN(mem_gate_readable(map, src), (uint64_t)FDT_MAX_SIZE), &why)) {
		printf("ERROR: no valid device tree at 0x%llx: %s\n", (unsigned long long)src, why);
		return -EINVAL;
	}
	p->fdt_src = (struct mem_range){src, src + fdt_totalsize(phys_to_virt(src)),
					"the source device tree"};
	return 0;
}

/* An EFI-stub Image says how long it is: a shorter one was cut. */
static int check_complete(const void *image, uint64_t avail, uint64_t len)
{
	uint64_t need = arm64_image_file_size(image, avail);

	if (need > len) {
		printf(
		    "ERROR: Image is truncated: its PE header says %llu bytes, only %llu there\n",
		    (unsigned long long)need, (unsigned long long)len);
		return -ENOEXEC;
	}
	return 0;
}

static int check_not_larger(uint64_t len, const struct arm64_image_info *info)
{
	if (len <= info->image_size)
		return 0;
	printf("ERROR: file (0x%llx bytes) is larger than the Image says (0x%llx)\n",
	       (unsigned long long)len, (unsigned long long)info->image_size);
	return -ENOEXEC;
}

static int plan_image(const struct booti_args *a, const struct mem_map *map,
		      const struct mem_range *busy, size_t n_busy, struct booti_plan *p)
{
	const void *k = phys_to_virt(a->kernel);
	uint64_t readable = a->kernel_len ? a->kernel_len : mem_gate_readable(map, a->kernel);
	struct arm64_image_info info;
	uint64_t base, len;
	int err =
	    arm64_image_check(k, MIN(readable, (uint64_t)sizeof(struct arm64_image_header)), &info);

	if (err)
		return err;
	/* Unknown length: what the PE header says, else everything the kernel may use. */
	len = a->kernel_len ? a->kernel_len : arm64_image_file_size(k, readable);
	if (!len)
		len = info.image_size;
	err = check_complete(k, readable, len);
	if (!err)
		err = check_not_larger(len, &info);
	if (!err)
		err = gate_read(map, a->kernel, len);
	if (err)
		return err;
	/* The boot protocol wants the Image text_offset bytes above a 2 MiB boundary. */
	base = a->kernel - info.text_offset;
	if (a->kernel < info.text_offset || !IS_ALIGNED(base, SZ_2M))
		base = ALIGN_UP(a->kernel, SZ_2M);
	p->kernel =
	    (struct mem_range){base, base + info.text_offset + info.image_size, "the kernel"};
	p->entry = base + info.text_offset;
	p->op = p->entry == a->kernel ? BOOTI_IN_PLACE : BOOTI_MOVE;
	p->src = a->kernel;
	p->src_len = len;
	return gate_write(map, &p->kernel, busy, n_busy);
}

#ifdef CONFIG_GZIP
/*
 * As U-Boot does: move the stream to kernel_comp_addr_r when it fits there
 * and is free, and inflate over the load address; otherwise inflate above
 * the stream, at the next 2 MiB boundary. Then the stream is inflated once,
 * into nothing, for its real length: the kernel gets text_offset plus the
 * larger of that and image_size, and that must fit where it goes.
 */
static int plan_gzip(const struct booti_args *a, const struct booti_env *e,
		     const struct mem_map *map, const struct mem_range *busy, size_t n_busy,
		     struct booti_plan *p)
{
	/* Unknown length: kernel_comp_size bounds the stream, as in U-Boot, within RAM. */
	uint64_t len =
	    a->kernel_len ? a->kernel_len : MIN(e->comp_size, mem_gate_readable(map, a->kernel));
	struct mem_range in[4], loaded;
	struct arm64_image_info info;
	uint8_t *head;
	uint64_t base, room, need, t;
	size_t out;
	int err;

	if (!len) {
		printf("ERROR: size of the compressed Image unknown (load it first: filesize)\n");
		return -EINVAL;
	}
	err = gate_read(map, a->kernel, len);
	if (err)
		return err;
	loaded = (struct mem_range){a->kernel, a->kernel + len, "the compressed kernel"};
	memcpy(in, busy, n_busy * sizeof(*busy));
	in[n_busy] = loaded;
	p->src = a->kernel;
	p->src_len = len;
	base = ALIGN_UP(loaded.end, SZ_2M);
	if (e->comp_addr && len <= e->comp_size &&
	    !mem_gate_map(map, e->comp_addr, len, MEM_WRITE, in, n_busy + 1, true)) {
		p->stage = e->comp_addr;
		in[n_busy] = (struct mem_range){p->stage, p->stage + len, "the compressed kernel"};
		base = ALIGN_UP(a->kernel, SZ_2M);
	}
	room = mem_gate_room(map, base, in, n_busy + 1);
	if (!room)
		return mem_gate_map(map, base, 1, MEM_WRITE, in, n_busy + 1, false);
	head = malloc(GZIP_HEAD_LEN);
	if (!head) {
		printf("ERROR: out of memory to check the gzip'd Image\n");
		return -ENOMEM;
	}
	t = bootstage_start();
	err = gunzip_measure(phys_to_virt(a->kernel), len, room, head, GZIP_HEAD_LEN, &out);
	bootstage_done("inflate", NULL, t);
	if (!err)
		err = arm64_image_check(head, MIN(out, (size_t)GZIP_HEAD_LEN), &info);
	if (!err)
		err = check_complete(head, MIN(out, (size_t)GZIP_HEAD_LEN), out);
	free(head);
	if (err == -EFBIG)
		printf("ERROR: the inflated kernel does not fit at 0x%llx (0x%llx free there)\n",
		       (unsigned long long)base, (unsigned long long)room);
	if (err)
		return err;
	need = info.text_offset + MAX(info.image_size, (uint64_t)out);
	if (need > room) {
		printf("ERROR: kernel needs 0x%llx bytes at 0x%llx, only 0x%llx free there\n",
		       (unsigned long long)need, (unsigned long long)base,
		       (unsigned long long)room);
		return -EFBIG;
	}
	err = check_not_larger(out, &info);
	if (err)
		return err;
	p->kernel = (struct mem_range){base, base + need, "the kernel"};
	p->entry = base + info.text_offset;
	p->op = BOOTI_INFLATE;
	p->out_len = out;
	/* The room said so already; every placement passes the gate all the same. */
	return gate_write(map, &p->kernel, in, n_busy + 1);
}
#else
static int plan_gzip(const struct booti_args *a, const struct booti_env *e,
		     const struct mem_map *map, const struct mem_range *busy, size_t n_busy,
		     struct booti_plan *p)
{
	printf("ERROR: gzip'd Image, and this pvboot is built without CONFIG_GZIP\n");
	return -ENOEXEC;
}
#endif

static int plan_kernel(const struct booti_args *a, const struct booti_env *e,
		       const struct mem_map *map, struct booti_plan *p)
{
	/* The kernel must not land on what is read later: the initrd and the DT. */
	const struct mem_range busy[] = {p->initrd, p->fdt_src};
	uint64_t head = a->kernel_len
			    ? MIN(a->kernel_len, (uint64_t)sizeof(struct arm64_image_header))
			    : sizeof(struct arm64_image_header);
	int err = gate_read(map, a->kernel, head);

	if (!err && a->kernel_len)
		err = gate_read(map, a->kernel, a->kernel_len);
	if (err)
		return err;
	if (is_gzip(phys_to_virt(a->kernel), head))
		return plan_gzip(a, e, map, busy, ARRAY_SIZE(busy), p);
	return plan_image(a, map, busy, ARRAY_SIZE(busy), p);
}

/* The OS's DT: a fixed-up copy on the heap now, written to fdt_addr_r at commit. */
static int plan_fdt(const struct booti_args *a, const struct booti_env *e,
		    const struct mem_map *map, struct booti_plan *p)
{
	const struct mem_range busy[] = {p->kernel, p->initrd};
	const char *bootargs = a->bootargs ? a->bootargs : e->bootargs;
	const void *src = phys_to_virt(p->fdt_src.start);
	size_t size = fdt_totalsize(src) + FDT_EXTRA_SPACE + (bootargs ? strlen(bootargs) : 0);
	uint64_t t = bootstage_start();
	int err;

	p->fdt_blob = malloc(size);
	if (!p->fdt_blob) {
		printf("ERROR: out of memory for a copy of the device tree (%zu bytes)\n", size);
		return -ENOMEM;
	}
	err = fdt_open_into(src, p->fdt_blob, (int)size);
	if (err) {
		printf("ERROR: cannot copy the device tree: %s\n", fdt_strerror(err));
		return -EINVAL;
	}
	err = fdt_fixup_chosen(p->fdt_blob, bootargs, p->initrd.start, p->initrd.end);
	if (err)
		return err;
	fdt_pack(p->fdt_blob);
	bootstage_done("fdt fixup", NULL, t);
	p->fdt = (struct mem_range){e->fdt_dst, e->fdt_dst + fdt_totalsize(p->fdt_blob),
				    "the device tree"};
	return gate_write(map, &p->fdt, busy, ARRAY_SIZE(busy));
}

int booti_plan(const struct booti_args *a, const struct booti_env *e, const struct mem_map *map,
	       struct booti_plan *p)
{
	int err;

	memset(p, 0, sizeof(*p));
	if (!e->fdt_dst) {
		printf("ERROR: fdt_addr_r is not set: nowhere to put the OS's device tree\n");
		return -EINVAL;
	}
	err = plan_initrd(a, map, p);
	if (!err)
		err = plan_fdt_source(a, e, map, p);
	if (!err)
		err = plan_kernel(a, e, map, p);
	if (!err)
		err = plan_fdt(a, e, map, p);
	if (err)
		booti_plan_free(p);
	return err;
}

void booti_plan_free(struct booti_plan *p)
{
	free(p->fdt_blob);
	p->fdt_blob = NULL;
}
