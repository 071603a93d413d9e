/* SPDX-License-Identifier: MIT */
/*
 * Booting an arm64 Linux Image: shared by `booti`, extlinux and scripts.
 * In two steps: booti_plan() checks and places everything and touches no
 * memory but its own; only a complete plan is committed, so a failed boot
 * leaves memory exactly as it was.
 */
#ifndef PVBOOT_BOOTI_H
#define PVBOOT_BOOTI_H

#include <pvboot/compiler.h>
#include <pvboot/memgate.h>

/* What the command line (or an extlinux label) says. */
struct booti_args {
	uint64_t kernel;     /* where the Image (or gzip'd Image) was loaded */
	uint64_t kernel_len; /* bytes loaded there, 0 = unknown */
	bool has_initrd;
	uint64_t initrd;
	uint64_t initrd_len;	/* 0: a legacy (mkimage -T ramdisk) image at initrd says it */
	uint64_t initrd_loaded; /* legacy image: bytes loaded at initrd, 0 = unknown */
	bool has_fdt;
	uint64_t fdt;	      /* the DT to pass on; without has_fdt, the environment's */
	const char *bootargs; /* NULL = the environment's bootargs, if set */
};

/* What the environment adds (see booti_env_get()). */
struct booti_env {
	uint64_t fdt;	      /* ${fdtcontroladdr}: the DT Xen gave pvboot */
	uint64_t fdt_dst;     /* ${fdt_addr_r}: where the OS's DT goes, 0 = unset */
	uint64_t comp_addr;   /* ${kernel_comp_addr_r}: where a gzip'd Image is moved first */
	uint64_t comp_size;   /* ${kernel_comp_size}: room there; a gzip'd Image's length bound */
	const char *bootargs; /* ${bootargs}, or NULL: keep the DT's own */
};

enum booti_kernel_op {
	BOOTI_IN_PLACE, /* the Image already sits at base + text_offset */
	BOOTI_MOVE,	/* copy src_len bytes from src to entry */
	BOOTI_INFLATE,	/* (copy the stream to stage, then) inflate it to entry */
};

struct booti_plan {
	struct mem_range
	    kernel;	/* [2 MiB base, + text_offset + the larger of image_size and file) */
	uint64_t entry; /* base + text_offset */
	enum booti_kernel_op op;
	uint64_t src, src_len; /* the Image, or the gzip stream, as loaded */
	uint64_t stage;	  /* BOOTI_INFLATE: where the stream goes first, 0 = inflate from src */
	uint64_t out_len; /* BOOTI_INFLATE: the real inflated length */
	struct mem_range initrd;  /* empty if none */
	struct mem_range fdt_src; /* the DT read */
	struct mem_range fdt;	  /* where the prepared DT goes */
	void *fdt_blob;		  /* the prepared DT, fdt.end - fdt.start bytes (heap) */
};

/*
 * Check and place everything: kernel (plain or gzip'd, by its real inflated
 * length), initrd (a legacy header's size bounded before it is believed), DT
 * (validated, fixed up in a copy on the heap). Every address goes through
 * the gate against map; reads only what the gate allowed, writes nothing but
 * the plan and the heap copy of the DT. 0 with p filled (release it with
 * booti_plan_free() unless committed), or -errno with the reason printed.
 */
int booti_plan(const struct booti_args *a, const struct booti_env *e, const struct mem_map *map,
	       struct booti_plan *p);
void booti_plan_free(struct booti_plan *p);

/* Say what a plan will do (U-Boot's lines: ramdisk, kernel, device tree). */
void booti_plan_print(const struct booti_plan *p);

/*
 * Carry a plan out: stage, move or inflate the kernel, write the DT. Frees
 * the plan. Fails (-errno) only if the compressed kernel changed in memory
 * since it was planned.
 */
int booti_commit(struct booti_plan *p);

/* The environment's part of a boot. */
void booti_env_get(struct booti_env *e);

/*
 * Plan, quiesce devices, commit and jump. Returns only on failure (-errno,
 * message printed); memory is then as it was.
 */
int booti_boot(const struct booti_args *args);

/* DT fixups for the OS: /chosen bootargs and initrd. 0 or -errno. */
int fdt_fixup_chosen(void *fdt, const char *bootargs, uint64_t initrd_start, uint64_t initrd_end);

#endif
