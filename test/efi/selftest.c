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
	put_ascii("efi-selftest: ");
	put_dec(passed);
	put_ascii(" passed, ");
	put_dec(failed);
	put_ascii(" failed\r\n");
	if (opt && str16_eq(opt, L"exit"))
		deep_exit(5);
	if (opt && str16_eq(opt, L"fail"))
		return EFI_LOAD_ERROR;
	return failed ? EFI_ABORTED : EFI_SUCCESS;
}
