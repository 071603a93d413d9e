// SPDX-License-Identifier: MIT
/*
 * An EFI application that checks the UEFI it runs under, built with
 * gnu-efi's crt0 and linker script (test/efi/Makefile) for x86_64 (the
 * sandbox runs it) and AArch64 (real Xen). It prints one line per check
 * and "efi-selftest: N passed, M failed". Its load options choose how it
 * ends: "exit" calls Exit() with an error and exit data from a nested
 * call, "fail" returns an error; otherwise it returns success.
 */
#include <efi.h>

#define MY_GUID                                                        \
	{                                                              \
		0x6a3e1b2c, 0x7d4f, 0x4e21,                            \
		{                                                      \
			0x9a, 0x10, 0x55, 0x21, 0x3b, 0x8c, 0x0d, 0x11 \
		}                                                      \
	}

/* The compiler may call these for struct copies and zeroing; there is no libc here. */
void *memset(void *d, int c, __SIZE_TYPE__ n);
void *memset(void *d, int c, __SIZE_TYPE__ n)
{
	for (UINT8 *p = d; n--;)
		*p++ = c;
	return d;
}

static EFI_SYSTEM_TABLE *st;
static EFI_BOOT_SERVICES *bs;
static EFI_HANDLE self;
static unsigned int passed, failed;
static volatile unsigned int notified;

static void puts16(const CHAR16 *s)
{
	st->ConOut->OutputString(st->ConOut, (CHAR16 *)s);
}

static void put_ascii(const char *s)
{
	CHAR16 buf[128];
	unsigned int i = 0;

	while (*s) {
		buf[i++] = (unsigned char)*s++;
		if (i == 127 || !*s) {
			buf[i] = 0;
			puts16(buf);
			i = 0;
		}
	}
}

static void put_dec(unsigned long v)
{
	char buf[24];
	int i = sizeof(buf) - 1;

	buf[i] = 0;
	do
		buf[--i] = '0' + v % 10;
	while ((v /= 10) && i);
	put_ascii(&buf[i]);
}

static void check(int ok, const char *what)
{
	put_ascii("efi-selftest: ");
	put_ascii(what);
	put_ascii(ok ? ": ok\r\n" : ": FAILED\r\n");
	if (ok)
		passed++;
	else
		failed++;
}

static int guid_eq(const EFI_GUID *a, const EFI_GUID *b)
{
	const UINT8 *x = (const UINT8 *)a, *y = (const UINT8 *)b;

	for (unsigned int i = 0; i < sizeof(*a); i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

static int str16_eq(const CHAR16 *a, const CHAR16 *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void *find_table(EFI_GUID guid)
{
	for (UINTN i = 0; i < st->NumberOfTableEntries; i++)
		if (guid_eq(&st->ConfigurationTable[i].VendorGuid, &guid))
			return st->ConfigurationTable[i].VendorTable;
	return NULL;
}

static void test_tables(void)
{
	UINT8 *fdt = find_table((EFI_GUID)EFI_DTB_TABLE_GUID);
	EFI_GUID rt_prop = {
	    0xeb66918a, 0x7eef, 0x402a, {0x84, 0x2e, 0x93, 0x1d, 0x21, 0xc3, 0x8a, 0xe9}};
	UINT16 *props = find_table(rt_prop);
	UINT32 crc = 0, saved = st->Hdr.CRC32;

	check(st->Hdr.Signature == EFI_SYSTEM_TABLE_SIGNATURE, "system table signature");
	check(st->Hdr.Revision >> 16 == 2 && bs->Hdr.Revision == st->Hdr.Revision,
	      "UEFI 2.x tables (Linux warns about 1.x)");
	check(bs->Hdr.Signature == EFI_BOOT_SERVICES_SIGNATURE, "boot services signature");
	check(st->RuntimeServices->Hdr.Signature == EFI_RUNTIME_SERVICES_SIGNATURE,
	      "runtime services signature");
	st->Hdr.CRC32 = 0;
	bs->CalculateCrc32(st, st->Hdr.HeaderSize, &crc);
	st->Hdr.CRC32 = saved;
	check(crc == saved, "system table CRC");
	check(fdt && fdt[0] == 0xd0 && fdt[1] == 0x0d && fdt[2] == 0xfe && fdt[3] == 0xed,
	      "device tree configuration table");
	check(props && props[0] == 1, "RT properties table");
}

static void test_loaded_image(EFI_LOADED_IMAGE **li)
{
	EFI_GUID guid = LOADED_IMAGE_PROTOCOL;
	UINT8 *base;

	check(bs->HandleProtocol(self, &guid, (void **)li) == EFI_SUCCESS, "LoadedImage");
	base = (*li)->ImageBase;
	check(base <= (UINT8 *)test_loaded_image &&
		  (UINT8 *)test_loaded_image < base + (*li)->ImageSize,
	      "our code inside ImageBase..+ImageSize");
	check((*li)->ImageCodeType == EfiLoaderCode, "image code type");
	put_ascii("efi-selftest: load options: ");
	if ((*li)->LoadOptions)
		puts16((*li)->LoadOptions);
	put_ascii("\r\n");
}

/* The descriptor holding addr, or NULL. */
static EFI_MEMORY_DESCRIPTOR *map_find(void *map, UINTN size, UINTN dsize, UINT64 addr)
{
	for (UINT8 *p = map; p < (UINT8 *)map + size; p += dsize) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)p;

		if (addr >= d->PhysicalStart && addr < d->PhysicalStart + d->NumberOfPages * 4096)
			return d;
	}
	return NULL;
}

static int map_sorted_and_contiguous(void *map, UINTN size, UINTN dsize)
{
	UINT64 end = 0;

	for (UINT8 *p = map; p < (UINT8 *)map + size; p += dsize) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)p;

		if ((end && d->PhysicalStart != end) || !d->NumberOfPages ||
		    !(d->Attribute & EFI_MEMORY_WB))
			return 0;
		end = d->PhysicalStart + d->NumberOfPages * 4096;
	}
	return end != 0;
}

static void test_memory(void)
{
	EFI_PHYSICAL_ADDRESS a = 0, b;
	UINTN size = 0, key, dsize;
	UINT32 ver;
	void *map = NULL, *p, *big;
	EFI_MEMORY_DESCRIPTOR *d;

	check(bs->AllocatePages(AllocateAnyPages, EfiLoaderData, 3, &a) == EFI_SUCCESS &&
		  !(a & 4095),
	      "AllocatePages");
	*(volatile UINT64 *)(UINTN)a = 0x1234;
	check(bs->GetMemoryMap(&size, NULL, &key, &dsize, &ver) == EFI_BUFFER_TOO_SMALL && size,
	      "GetMemoryMap asks for room");
	size += 4 * dsize;
	check(bs->AllocatePool(EfiLoaderData, size, &map) == EFI_SUCCESS, "AllocatePool");
	check(bs->GetMemoryMap(&size, map, &key, &dsize, &ver) == EFI_SUCCESS && ver == 1,
	      "GetMemoryMap");
	check(map_sorted_and_contiguous(map, size, dsize), "map sorted, contiguous, write-back");
	d = map_find(map, size, dsize, a);
	check(d && d->Type == EfiLoaderData && d->PhysicalStart <= a &&
		  a + 3 * 4096 <= d->PhysicalStart + d->NumberOfPages * 4096,
	      "map has our pages as loader data");
	d = map_find(map, size, dsize, (UINTN)st);
	check(d && d->Type == EfiRuntimeServicesData && (d->Attribute & EFI_MEMORY_RUNTIME),
	      "system table in runtime data");
	d = map_find(map, size, dsize, (UINTN)test_memory);
	check(d && d->Type == EfiLoaderCode, "our code in loader code");
	check(bs->FreePages(a, 3) == EFI_SUCCESS, "FreePages");
	check(bs->FreePages(a, 3) == EFI_NOT_FOUND, "FreePages twice is refused");
	b = a;
	check(bs->AllocatePages(AllocateAddress, EfiBootServicesData, 1, &b) == EFI_SUCCESS &&
		  b == a,
	      "AllocatePages at an address");
	check(bs->AllocatePages(AllocateAddress, EfiBootServicesData, 1, &b) == EFI_NOT_FOUND,
	      "AllocatePages at a used address is refused");
	bs->FreePages(a, 1);
	check(bs->AllocatePool(EfiBootServicesData, 200000, &big) == EFI_SUCCESS, "large pool");
	((volatile UINT8 *)big)[199999] = 1;
	check(bs->AllocatePool(EfiLoaderData, 10, &p) == EFI_SUCCESS, "small pool");
	check(bs->FreePool(big) == EFI_SUCCESS && bs->FreePool(p) == EFI_SUCCESS, "FreePool");
	check(bs->FreePool((UINT8 *)map + 8) == EFI_INVALID_PARAMETER, "FreePool of a bad pointer");
	bs->FreePool(map);
}

static void test_protocols(void)
{
	EFI_GUID g = MY_GUID, g2 = {1, 2, 3, {4, 5, 6, 7, 8, 9, 10, 11}};
	EFI_HANDLE h = NULL, *list;
	UINTN n = 0;
	void *iface = NULL;
	static int thing, thing2;

	check(bs->InstallProtocolInterface(&h, &g, EFI_NATIVE_INTERFACE, &thing) == EFI_SUCCESS &&
		  h,
	      "InstallProtocolInterface");
	check(bs->LocateProtocol(&g, NULL, &iface) == EFI_SUCCESS && iface == &thing,
	      "LocateProtocol");
	check(bs->LocateHandleBuffer(ByProtocol, &g, NULL, &n, &list) == EFI_SUCCESS && n == 1 &&
		  list[0] == h,
	      "LocateHandleBuffer");
	bs->FreePool(list);
	check(bs->OpenProtocol(h, &g, &iface, self, NULL, EFI_OPEN_PROTOCOL_GET_PROTOCOL) ==
		  EFI_SUCCESS,
	      "OpenProtocol");
	check(bs->CloseProtocol(h, &g, self, NULL) == EFI_SUCCESS, "CloseProtocol");
	check(bs->InstallProtocolInterface(&h, &g, EFI_NATIVE_INTERFACE, &thing) ==
		  EFI_INVALID_PARAMETER,
	      "installing twice is refused");
	check(bs->InstallMultipleProtocolInterfaces(&h, &g2, &thing2, NULL) == EFI_SUCCESS,
	      "InstallMultipleProtocolInterfaces");
	check(bs->UninstallMultipleProtocolInterfaces(h, &g, &thing, &g2, &thing2, NULL) ==
		  EFI_SUCCESS,
	      "UninstallMultipleProtocolInterfaces");
	check(bs->LocateProtocol(&g, NULL, &iface) == EFI_NOT_FOUND, "gone after uninstall");
	check(bs->HandleProtocol(h, &g, &iface) == EFI_INVALID_PARAMETER,
	      "the emptied handle is gone");
}

static VOID EFIAPI count_notify(EFI_EVENT e, VOID *ctx)
{
	notified++;
}

static void test_events(void)
{
	EFI_EVENT t, n, p;
	UINTN idx = 9;

	check(bs->CreateEvent(EVT_TIMER, 0, NULL, NULL, &t) == EFI_SUCCESS, "CreateEvent");
	check(bs->CheckEvent(t) == EFI_NOT_READY, "CheckEvent before the timer");
	check(bs->SetTimer(t, TimerRelative, 20 * 10000) == EFI_SUCCESS, "SetTimer 20 ms");
	check(bs->WaitForEvent(1, &t, &idx) == EFI_SUCCESS && idx == 0, "WaitForEvent");
	check(bs->CheckEvent(t) == EFI_NOT_READY, "the wait consumed the signal");
	check(bs->CreateEvent(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, count_notify, NULL, &n) ==
		  EFI_SUCCESS,
	      "CreateEvent with a notify function");
	bs->SignalEvent(n);
	check(notified == 1, "SignalEvent runs it");
	check(bs->CreateEvent(EVT_TIMER | EVT_NOTIFY_SIGNAL, TPL_CALLBACK, count_notify, NULL,
			      &p) == EFI_SUCCESS,
	      "periodic timer event");
	bs->SetTimer(p, TimerPeriodic, 5 * 10000);
	/* A busy host may deschedule us for longer than a period: wait for three, up to 2 s. */
	for (int i = 0; i < 200 && notified < 4; i++)
		bs->Stall(10000);
	check(notified >= 4, "periodic notify runs during Stall");
	bs->SetTimer(p, TimerCancel, 0);
	check(bs->WaitForEvent(1, &n, &idx) == EFI_INVALID_PARAMETER,
	      "WaitForEvent on a notify-signal event is refused");
	bs->CloseEvent(t);
	bs->CloseEvent(n);
	bs->CloseEvent(p);
	check(bs->CheckEvent(t) == EFI_INVALID_PARAMETER, "a closed event is invalid");
}

static void test_variables(void)
{
	EFI_GUID g = MY_GUID, got;
	CHAR16 name[64] = {0};
	UINT32 attrs = 0;
	UINT8 data[8];
	UINTN size = sizeof(data), nsize;
	EFI_RUNTIME_SERVICES *rt = st->RuntimeServices;
	int found = 0;

	check(rt->SetVariable(L"PvbootTest", &g,
			      EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS, 4,
			      "abc") == EFI_SUCCESS,
	      "SetVariable");
	check(rt->GetVariable(L"PvbootTest", &g, &attrs, &size, data) == EFI_SUCCESS && size == 4 &&
		  data[0] == 'a' && data[3] == 0,
	      "GetVariable");
	for (int i = 0; i < 100; i++) {
		nsize = sizeof(name);
		if (rt->GetNextVariableName(&nsize, name, &got) != EFI_SUCCESS)
			break;
		found |= str16_eq(name, L"PvbootTest") && guid_eq(&got, &g);
	}
	check(found, "GetNextVariableName");
	check(rt->SetVariable(L"PvbootTest", &g, 0, 0, NULL) == EFI_SUCCESS, "delete a variable");
	size = sizeof(data);
	check(rt->GetVariable(L"PvbootTest", &g, &attrs, &size, data) == EFI_NOT_FOUND,
	      "deleted variable is gone");
}

static void test_console_and_images(void)
{
	UINTN cols = 0, rows = 0;
	EFI_HANDLE h = NULL;
	static UINT8 junk[512] = {'M', 'Z'};

	check(st->ConOut->QueryMode(st->ConOut, 0, &cols, &rows) == EFI_SUCCESS && cols == 80 &&
		  rows == 25,
	      "QueryMode 80x25");
	puts16(L"efi-selftest: unicode \u00e9\u263a\r\n");
	check(bs->LoadImage(FALSE, self, NULL, junk, sizeof(junk), &h) == EFI_LOAD_ERROR,
	      "LoadImage of junk is refused");
}

static void put_hex(unsigned long v)
{
	char buf[20];
	int i = sizeof(buf) - 1;

	buf[i] = 0;
	do
		buf[--i] = "0123456789abcdef"[v & 15];
	while ((v >>= 4) && i > 2);
	buf[--i] = 'x';
	buf[--i] = '0';
	put_ascii(&buf[i]);
}

/*
 * Keys until 'q', through SimpleTextInput (or SimpleTextInputEx): one line
 * each with the scan code, the character and (Ex) the shift state.
 */
static void read_keys(int ex)
{
	EFI_GUID ex_guid = EFI_SIMPLE_TEXT_INPUT_EX_PROTOCOL_GUID;
	EFI_SIMPLE_TEXT_INPUT_EX_PROTOCOL *in_ex = NULL;
	EFI_KEY_DATA kd;
	UINTN idx;

	if (ex && bs->HandleProtocol(st->ConsoleInHandle, &ex_guid, (void **)&in_ex) != EFI_SUCCESS)
		return check(0, "SimpleTextInputEx on the console handle");
	put_ascii("efi-selftest: reading keys\r\n");
	for (int n = 0; n < 64; n++) {
		bs->WaitForEvent(1, ex ? &in_ex->WaitForKeyEx : &st->ConIn->WaitForKey, &idx);
		kd.KeyState.KeyShiftState = 0;
		if (ex ? in_ex->ReadKeyStrokeEx(in_ex, &kd)
		       : st->ConIn->ReadKeyStroke(st->ConIn, &kd.Key))
			continue;
		put_ascii("efi-selftest: key scan ");
		put_dec(kd.Key.ScanCode);
		put_ascii(" char ");
		put_hex(kd.Key.UnicodeChar);
		if (ex) {
			put_ascii(" shift ");
			put_hex(kd.KeyState.KeyShiftState);
		}
		put_ascii("\r\n");
		if (kd.Key.UnicodeChar == 'q')
			return;
	}
}

/* A device path's node type/subtype and length, byte by byte (nodes are unaligned). */
static UINTN dp_len(const EFI_DEVICE_PATH *n)
{
	return n->Length[0] | n->Length[1] << 8;
}

static const EFI_DEVICE_PATH *dp_next(const EFI_DEVICE_PATH *n)
{
	return (const EFI_DEVICE_PATH *)((const UINT8 *)n + dp_len(n));
}

static int is_end(const EFI_DEVICE_PATH *n)
{
	return n->Type == END_DEVICE_PATH_TYPE && n->SubType == END_ENTIRE_DEVICE_PATH_SUBTYPE;
}

/* Does the path (without its end node) of a start the path b? */
static int dp_prefix(const EFI_DEVICE_PATH *a, const EFI_DEVICE_PATH *b)
{
	const UINT8 *x = (const UINT8 *)a, *y = (const UINT8 *)b;
	UINTN len = 0;

	for (const EFI_DEVICE_PATH *n = a; !is_end(n) && len < 1024; n = dp_next(n))
		len += dp_len(n);
	for (UINTN i = 0; i < len; i++)
		if (x[i] != y[i])
			return 0;
	return len > 0;
}

static int bytes_eq(const void *a, const char *b, UINTN n)
{
	const UINT8 *x = a;

	for (UINTN i = 0; i < n; i++)
		if (x[i] != (UINT8)b[i])
			return 0;
	return 1;
}

/* The root directory has both files the tests put there, and then ends. */
static void test_dir(EFI_FILE *root)
{
	UINT8 buf[SIZE_OF_EFI_FILE_INFO + 256] __attribute__((aligned(8)));
	EFI_FILE_INFO *info = (EFI_FILE_INFO *)buf;
	int self_seen = 0, junk_seen = 0, small = 0;
	UINTN size = 4, n;

	small =
	    root->Read(root, &size, buf) == EFI_BUFFER_TOO_SMALL && size > SIZE_OF_EFI_FILE_INFO;
	check(small, "a directory entry into a small buffer: too small, and the size");
	for (n = 0; n < 64; n++) {
		size = sizeof(buf);
		if (root->Read(root, &size, buf) != EFI_SUCCESS || !size)
			break;
		if (str16_eq(info->FileName, L"selftest.efi") && info->FileSize > 1000 &&
		    !(info->Attribute & EFI_FILE_DIRECTORY))
			self_seen = 1;
		if (str16_eq(info->FileName, L"junk.txt") && info->FileSize == 13)
			junk_seen = 1;
	}
	check(self_seen && junk_seen && size == 0, "root directory lists both files, then ends");
	size = sizeof(buf);
	check(root->SetPosition(root, 0) == EFI_SUCCESS &&
		  root->Read(root, &size, buf) == EFI_SUCCESS && size > SIZE_OF_EFI_FILE_INFO,
	      "a directory starts again at position 0");
}

static void test_files(EFI_HANDLE dev)
{
	EFI_GUID sfs_guid = SIMPLE_FILE_SYSTEM_PROTOCOL, info_guid = EFI_FILE_INFO_ID;
	EFI_GUID fsi_guid = EFI_FILE_SYSTEM_INFO_ID;
	EFI_FILE_IO_INTERFACE *sfs = NULL;
	EFI_FILE *root = NULL, *f = NULL, *g = NULL;
	UINT8 buf[SIZE_OF_EFI_FILE_INFO + 64] __attribute__((aligned(8)));
	EFI_FILE_INFO *info = (EFI_FILE_INFO *)buf;
	EFI_FILE_SYSTEM_INFO *fsi = (EFI_FILE_SYSTEM_INFO *)buf;
	UINTN size;
	UINT64 pos = 0;

	check(bs->HandleProtocol(dev, &sfs_guid, (void **)&sfs) == EFI_SUCCESS &&
		  sfs->OpenVolume(sfs, &root) == EFI_SUCCESS,
	      "SimpleFileSystem on our device, OpenVolume");
	if (!root)
		return;
	check(root->Open(root, &f, L"\\junk.txt", EFI_FILE_MODE_READ, 0) == EFI_SUCCESS,
	      "Open a file");
	size = 64;
	check(f && f->Read(f, &size, buf) == EFI_SUCCESS && size == 13 &&
		  bytes_eq(buf, "not an image\n", 13),
	      "Read the whole file");
	size = 64;
	check(f && f->Read(f, &size, buf) == EFI_SUCCESS && size == 0, "Read at the end: 0 bytes");
	size = 5;
	check(f && f->SetPosition(f, 4) == EFI_SUCCESS && f->Read(f, &size, buf) == EFI_SUCCESS &&
		  size == 5 && bytes_eq(buf, "an im", 5) &&
		  f->GetPosition(f, &pos) == EFI_SUCCESS && pos == 9,
	      "SetPosition, Read, GetPosition");
	size = sizeof(buf);
	check(f && f->GetInfo(f, &info_guid, &size, buf) == EFI_SUCCESS && info->FileSize == 13 &&
		  str16_eq(info->FileName, L"junk.txt") && (info->Attribute & EFI_FILE_READ_ONLY),
	      "GetInfo(FileInfo)");
	size = 1;
	check(f && f->Write(f, &size, buf) == EFI_WRITE_PROTECTED, "Write is refused");
	if (f)
		f->Close(f);
	check(root->Open(root, &g, L"\\nope.txt", EFI_FILE_MODE_READ, 0) == EFI_NOT_FOUND,
	      "Open of a missing file");
	check(root->Open(root, &g, L"junk.txt", EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0) ==
		  EFI_WRITE_PROTECTED,
	      "Open for writing is refused");
	check(root->Open(root, &g, L"..\\junk.txt", EFI_FILE_MODE_READ, 0) == EFI_NOT_FOUND,
	      "nothing above the root");
	g = NULL;
	check(root->Open(root, &g, L".\\x\\..\\selftest.efi", EFI_FILE_MODE_READ, 0) ==
		      EFI_NOT_FOUND ||
		  (g && g->Close(g) == EFI_SUCCESS),
	      "dot components");
	size = sizeof(buf);
	check(root->GetInfo(root, &fsi_guid, &size, buf) == EFI_SUCCESS && fsi->ReadOnly &&
		  fsi->VolumeSize > 1000000,
	      "GetInfo(FileSystemInfo)");
	test_dir(root);
	check(root->Close(root) == EFI_SUCCESS && root->Close(root) == EFI_INVALID_PARAMETER,
	      "Close, and a closed file is invalid");
}

/*
 * The first 2 MiB of the partition through BlockIO in GRUB's way (small
 * reads one after the other; 24 KiB so that some straddle pvboot's 1 MiB
 * read-ahead window), then through DiskIO in one read: the same bytes.
 */
static void test_sequential_reads(EFI_BLOCK_IO *bio, EFI_DISK_IO *dio)
{
	const UINTN total = 2 << 20, chunk = 24 << 10;
	UINT8 *a = NULL, *b = NULL;
	int ok = 1;

	if (bs->AllocatePool(EfiLoaderData, total, (void **)&a) ||
	    bs->AllocatePool(EfiLoaderData, total, (void **)&b)) {
		check(0, "pool for sequential reads");
		return;
	}
	for (UINTN off = 0; off < total && ok; off += chunk)
		ok = bio->ReadBlocks(bio, bio->Media->MediaId, off / 512,
				     off + chunk <= total ? chunk : total - off,
				     a + off) == EFI_SUCCESS;
	ok = ok && dio->ReadDisk(dio, bio->Media->MediaId, 0, total, b) == EFI_SUCCESS;
	for (UINTN i = 0; ok && i < total; i++)
		ok = a[i] == b[i];
	check(ok, "sequential 24 KiB ReadBlocks give what one ReadDisk gives");
	bs->FreePool(a);
	bs->FreePool(b);
}

static void test_blocks(EFI_HANDLE dev)
{
	EFI_GUID bio_guid = BLOCK_IO_PROTOCOL, dio_guid = DISK_IO_PROTOCOL;
	EFI_GUID dp_guid = DEVICE_PATH_PROTOCOL;
	EFI_BLOCK_IO *bio = NULL, *b2;
	EFI_DISK_IO *dio = NULL;
	EFI_DEVICE_PATH *path = NULL, *p2;
	EFI_HANDLE *list = NULL;
	UINT8 sector[512];
	UINTN n = 0, whole = 0;
	const EFI_DEVICE_PATH *node;
	int hd = 0;

	check(bs->HandleProtocol(dev, &bio_guid, (void **)&bio) == EFI_SUCCESS &&
		  bio->Media->LogicalPartition && bio->Media->BlockSize == 512,
	      "BlockIO on our partition");
	if (!bio)
		return;
	check(bio->ReadBlocks(bio, bio->Media->MediaId, 0, 512, sector) == EFI_SUCCESS &&
		  sector[510] == 0x55 && sector[511] == 0xaa,
	      "ReadBlocks: the partition's boot sector");
	check(bio->ReadBlocks(bio, bio->Media->MediaId, bio->Media->LastBlock, 1024, sector) ==
		  EFI_INVALID_PARAMETER,
	      "ReadBlocks past the partition's end is refused");
	check(bio->ReadBlocks(bio, bio->Media->MediaId, 0, 100, sector) == EFI_BAD_BUFFER_SIZE,
	      "ReadBlocks of part of a block is refused");
	check(bs->HandleProtocol(dev, &dio_guid, (void **)&dio) == EFI_SUCCESS &&
		  dio->ReadDisk(dio, bio->Media->MediaId, 510, 2, sector) == EFI_SUCCESS &&
		  sector[0] == 0x55 && sector[1] == 0xaa,
	      "DiskIO ReadDisk at a byte offset");
	if (dio)
		test_sequential_reads(bio, dio);
	if (bs->HandleProtocol(dev, &dp_guid, (void **)&path) == EFI_SUCCESS)
		for (node = path; !is_end(node) && dp_len(node) >= 4; node = dp_next(node))
			hd |= node->Type == MEDIA_DEVICE_PATH &&
			      node->SubType == MEDIA_HARDDRIVE_DP && dp_len(node) == 42 &&
			      ((const HARDDRIVE_DEVICE_PATH *)node)->PartitionNumber == 1;
	check(hd, "the partition's device path ends in HD(1, ...)");
	check(bs->LocateHandleBuffer(ByProtocol, &bio_guid, NULL, &n, &list) == EFI_SUCCESS &&
		  n >= 2,
	      "LocateHandleBuffer(BlockIO): the disk and its partition");
	for (UINTN i = 0; list && i < n; i++)
		if (bs->HandleProtocol(list[i], &bio_guid, (void **)&b2) == EFI_SUCCESS &&
		    !b2->Media->LogicalPartition &&
		    bs->HandleProtocol(list[i], &dp_guid, (void **)&p2) == EFI_SUCCESS && path &&
		    dp_prefix(p2, path))
			whole++;
	check(whole == 1, "one whole disk whose path starts our partition's");
	if (list)
		bs->FreePool(list);
}

/* Where we came from: a partition, with files and blocks. */
static void test_device(EFI_LOADED_IMAGE *li)
{
	EFI_GUID lidp_guid = EFI_LOADED_IMAGE_DEVICE_PATH_PROTOCOL_GUID;
	const FILEPATH_DEVICE_PATH *fp = (const void *)li->FilePath;
	EFI_DEVICE_PATH *full = NULL;
	EFI_HANDLE h = NULL;

	check(li->DeviceHandle != NULL, "DeviceHandle: the partition we were loaded from");
	if (!li->DeviceHandle)
		return;
	check(fp && fp->Header.Type == MEDIA_DEVICE_PATH &&
		  fp->Header.SubType == MEDIA_FILEPATH_DP &&
		  str16_eq(fp->PathName, L"\\selftest.efi"),
	      "FilePath: \\selftest.efi");
	test_files(li->DeviceHandle);
	test_blocks(li->DeviceHandle);
	check(bs->HandleProtocol(self, &lidp_guid, (void **)&full) == EFI_SUCCESS &&
		  bs->LoadImage(FALSE, self, full, NULL, 0, &h) == EFI_SUCCESS &&
		  bs->UnloadImage(h) == EFI_SUCCESS,
	      "LoadImage from our own device path, UnloadImage");
}

/* The initrd the stub would get: LoadFile2 at Linux's vendor media path. */
static void test_initrd(void)
{
	EFI_GUID lf2_guid = {
	    0x4006c0c1, 0xfcb3, 0x403e, {0x99, 0x6d, 0x4a, 0x6c, 0x87, 0x24, 0xe0, 0x6d}};
	struct __attribute__((packed)) {
		VENDOR_DEVICE_PATH ven;
		EFI_DEVICE_PATH end;
	} path = {{{MEDIA_DEVICE_PATH, MEDIA_VENDOR_DP, {sizeof(VENDOR_DEVICE_PATH), 0}},
		   {0x5568e427, 0x68fc, 0x4f3d, {0xac, 0x74, 0xca, 0x55, 0x52, 0x31, 0xcc, 0x68}}},
		  {END_DEVICE_PATH_TYPE, END_ENTIRE_DEVICE_PATH_SUBTYPE, {4, 0}}};
	EFI_DEVICE_PATH *dp = &path.ven.Header;
	EFI_LOAD_FILE_INTERFACE *lf2 = NULL;
	EFI_HANDLE h = NULL;
	UINT8 buf[64];
	UINTN size = 0;

	check(bs->LocateDevicePath(&lf2_guid, &dp, &h) == EFI_SUCCESS &&
		  bs->HandleProtocol(h, &lf2_guid, (void **)&lf2) == EFI_SUCCESS,
	      "initrd: LoadFile2 at LINUX_EFI_INITRD_MEDIA_GUID");
	if (!lf2)
		return;
	check(lf2->LoadFile(lf2, dp, FALSE, &size, NULL) == EFI_BUFFER_TOO_SMALL && size == 13,
	      "initrd: its size first");
	check(lf2->LoadFile(lf2, dp, TRUE, &size, buf) == EFI_UNSUPPORTED,
	      "initrd: BootPolicy is refused");
	size = sizeof(buf);
	check(lf2->LoadFile(lf2, dp, FALSE, &size, buf) == EFI_SUCCESS && size == 13 &&
		  bytes_eq(buf, "not an image\n", 13),
	      "initrd: the bytes");
}

/* ExitBootServices: a stale key is refused; the key for the real call. */
static UINTN prepare_exit_boot_services(void)
{
	UINTN size = 0, key = 0, dsize = 0;
	UINT32 ver;
	void *map = NULL;

	bs->GetMemoryMap(&size, NULL, &key, &dsize, &ver);
	size += 4 * dsize;
	bs->AllocatePool(EfiLoaderData, size, &map);
	check(bs->GetMemoryMap(&size, map, &key, &dsize, &ver) == EFI_SUCCESS, "GetMemoryMap");
	check(bs->ExitBootServices(self, key + 1) == EFI_INVALID_PARAMETER,
	      "ExitBootServices with a stale key is refused");
	return key;
}

/* Nothing may allocate between the map and this call (the console does not). */
static EFI_STATUS exit_boot_services(UINTN key)
{
	put_ascii("efi-selftest: calling ExitBootServices\r\n");
	if (bs->ExitBootServices(self, key) != EFI_SUCCESS)
		return EFI_ABORTED;
	/* No console now: the system table says what is gone. */
	return st->BootServices == NULL && st->ConOut == NULL ? EFI_SUCCESS : EFI_ABORTED;
}

/* Exit data is pool memory the caller frees, as UEFI asks. */
static EFI_STATUS deep_exit(int depth)
{
	static const CHAR16 msg[] = L"selftest exits";
	CHAR16 *data = NULL;

	if (depth)
		return deep_exit(depth - 1) + 1;
	if (bs->AllocatePool(EfiLoaderData, sizeof(msg), (void **)&data) == EFI_SUCCESS)
		for (unsigned int i = 0; i < sizeof(msg) / sizeof(msg[0]); i++)
			data[i] = msg[i];
	return bs->Exit(self, EFI_ABORTED, data ? sizeof(msg) : 0, data);
}

/* gnu-efi's crt0 calls this with the C convention, after relocating the image. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *li;
	const CHAR16 *opt;
	UINTN ebs_key = 0;

	st = systab;
	bs = systab->BootServices;
	self = image;
	put_ascii("efi-selftest: started\r\n");
	bs->HandleProtocol(image, &(EFI_GUID)LOADED_IMAGE_PROTOCOL, (void **)&li);
	opt = li->LoadOptions;
	if (opt && (str16_eq(opt, L"keys") || str16_eq(opt, L"keysex"))) {
		read_keys(opt[4] == 'e');
		return EFI_SUCCESS;
	}
	test_tables();
	test_loaded_image(&li);
	test_memory();
	test_protocols();
	test_events();
	test_variables();
	test_console_and_images();
	test_device(li);
	if (opt && str16_eq(opt, L"initrd"))
		test_initrd();
	if (opt && str16_eq(opt, L"ebs"))
		ebs_key = prepare_exit_boot_services();
	put_ascii("efi-selftest: ");
	put_dec(passed);
	put_ascii(" passed, ");
	put_dec(failed);
	put_ascii(" failed\r\n");
	if (opt && str16_eq(opt, L"ebs"))
		return exit_boot_services(ebs_key);
	if (opt && str16_eq(opt, L"exit"))
		deep_exit(5);
	if (opt && str16_eq(opt, L"fail"))
		return EFI_LOAD_ERROR;
	return failed ? EFI_ABORTED : EFI_SUCCESS;
}
