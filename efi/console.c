// SPDX-License-Identifier: MIT
/*
 * SimpleTextOutput and SimpleTextInput(Ex) on pvboot's console (the PV
 * console): UTF-16 out as UTF-8, colours and cursor moves as ANSI escape
 * sequences, and terminal escape sequences in as UEFI scan codes. One
 * 80x25 mode, as a serial console offers.
 */
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/console.h>
#include <pvboot/timer.h>
#include <stdio.h>
#include "efi_internal.h"

#define COLS 80
#define ROWS 25
#define ESC_WAIT_MS 10 /* bytes of one escape sequence arrive together */

static SIMPLE_TEXT_OUTPUT_MODE out_mode = {
    .MaxMode = 1, .Attribute = EFI_LIGHTGRAY, .CursorVisible = TRUE};
static EFI_SIMPLE_TEXT_OUT_PROTOCOL con_out;
static EFI_SIMPLE_TEXT_IN_PROTOCOL con_in;
static EFI_SIMPLE_TEXT_INPUT_EX_PROTOCOL con_in_ex;

static void track_cursor(uint32_t c)
{
	if (c == '\r')
		out_mode.CursorColumn = 0;
	else if (c == '\n')
		out_mode.CursorRow = MIN(out_mode.CursorRow + 1, ROWS - 1);
	else if (c == '\b')
		out_mode.CursorColumn = MAX(out_mode.CursorColumn - 1, 0);
	else if (++out_mode.CursorColumn >= COLS)
		out_mode.CursorColumn = COLS - 1;
}

static size_t put_utf8(char *p, uint32_t c)
{
	if (c < 0x80) {
		p[0] = c;
		return 1;
	}
	if (c < 0x800) {
		p[0] = 0xc0 | c >> 6;
		p[1] = 0x80 | (c & 0x3f);
		return 2;
	}
	if (c < 0x10000) {
		p[0] = 0xe0 | c >> 12;
		p[1] = 0x80 | ((c >> 6) & 0x3f);
		p[2] = 0x80 | (c & 0x3f);
		return 3;
	}
	p[0] = 0xf0 | c >> 18;
	p[1] = 0x80 | ((c >> 12) & 0x3f);
	p[2] = 0x80 | ((c >> 6) & 0x3f);
	p[3] = 0x80 | (c & 0x3f);
	return 4;
}

static EFI_STATUS EFIAPI output_string(EFI_SIMPLE_TEXT_OUT_PROTOCOL *this, CHAR16 *s)
{
	char buf[128];
	size_t n = 0;

	if (!s)
		return EFI_INVALID_PARAMETER;
	for (; *s; s++) {
		uint32_t c = *s;

		if (c >= 0xd800 && c < 0xdc00 && s[1] >= 0xdc00 && s[1] < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) + (s[1] - 0xdc00);
			s++;
		} else if (c >= 0xd800 && c < 0xe000) {
			c = 0xfffd; /* a lone surrogate */
		} else if (c == '\r' && s[1] == '\n') {
			out_mode.CursorColumn = 0;
			continue; /* the console turns "\n" into "\r\n" itself */
		}
		if (n > sizeof(buf) - 4) {
			console_write(buf, n);
			n = 0;
		}
		n += put_utf8(buf + n, c);
		track_cursor(c);
	}
	console_write(buf, n);
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI test_string(EFI_SIMPLE_TEXT_OUT_PROTOCOL *this, CHAR16 *s)
{
	return EFI_SUCCESS; /* UTF-8 shows every code point */
}

static EFI_STATUS EFIAPI query_mode(EFI_SIMPLE_TEXT_OUT_PROTOCOL *this, UINTN mode, UINTN *cols,
				    UINTN *rows)
{
	if (mode != 0)
		return EFI_UNSUPPORTED;
	if (!cols || !rows)
		return EFI_INVALID_PARAMETER;
	*cols = COLS;
	*rows = ROWS;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI clear_screen(EFI_SIMPLE_TEXT_OUT_PROTOCOL *this)
{
	console_puts("\x1b[2J\x1b[H");
	out_mode.CursorColumn = out_mode.CursorRow = 0;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI set_mode(EFI_SIMPLE_TEXT_OUT_PROTOCOL *this, UINTN mode)
{
	return mode ? EFI_UNSUPPORTED : clear_screen(this);
}

/* EFI colour order (blue, green, red bits) to ANSI's (red, green, blue bits). */
static unsigned int ansi_colour(unsigned int efi)
{
	return (efi & 1) << 2 | (efi & 2) | (efi & 4) >> 2;
}

static EFI_STATUS EFIAPI set_attribute(EFI_SIMPLE_TEXT_OUT_PROTOCOL *this, UINTN attr)
{
	if (attr > 0x7f)
		return EFI_UNSUPPORTED;
	printf("\x1b[0;%s%u;%um", attr & 8 ? "1;" : "", 30 + ansi_colour(attr & 7),
	       40 + ansi_colour((attr >> 4) & 7));
	out_mode.Attribute = attr;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI set_cursor_position(EFI_SIMPLE_TEXT_OUT_PROTOCOL *this, UINTN col,
					     UINTN row)
{
	if (col >= COLS || row >= ROWS)
		return EFI_UNSUPPORTED;
	printf("\x1b[%u;%uH", (unsigned int)row + 1, (unsigned int)col + 1);
	out_mode.CursorColumn = col;
	out_mode.CursorRow = row;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI enable_cursor(EFI_SIMPLE_TEXT_OUT_PROTOCOL *this, BOOLEAN on)
{
	console_puts(on ? "\x1b[?25h" : "\x1b[?25l");
	out_mode.CursorVisible = on;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI reset_out(EFI_SIMPLE_TEXT_OUT_PROTOCOL *this, BOOLEAN ext)
{
	set_attribute(this, EFI_LIGHTGRAY);
	return clear_screen(this);
}

/* A byte read too far (after a lone ESC): the next key starts with it. */
static int unread = -1;

static bool key_waiting_byte(void)
{
	return unread >= 0 || console_tstc();
}

static int next_byte(void)
{
	int c = unread;

	if (c < 0)
		return console_getc();
	unread = -1;
	return c;
}

/* The next byte if one comes within ESC_WAIT_MS, else -1. */
static int getc_soon(void)
{
	uint64_t deadline = deadline_ms(ESC_WAIT_MS);

	while (!key_waiting_byte()) {
		if (deadline_passed(deadline))
			return -1;
		arch_cpu_relax();
	}
	return next_byte();
}

/* "ESC [ n ~" keys, by n. */
static const uint8_t tilde_keys[] = {
    [1] = SCAN_HOME,	  [2] = SCAN_INSERT, [3] = SCAN_DELETE, [4] = SCAN_END, [5] = SCAN_PAGE_UP,
    [6] = SCAN_PAGE_DOWN, [11] = SCAN_F1,    [12] = SCAN_F2,	[13] = SCAN_F3, [14] = SCAN_F4,
    [15] = SCAN_F5,	  [17] = SCAN_F6,    [18] = SCAN_F7,	[19] = SCAN_F8, [20] = SCAN_F9,
    [21] = SCAN_F10,	  [23] = SCAN_F11,   [24] = SCAN_F12,
};

/* After ESC: a scan code, SCAN_ESC alone, or SCAN_NULL for a sequence we do not know. */
static UINT16 read_escape(void)
{
	int c = getc_soon(), n = 0;

	if (c == 'O') { /* SS3: F1-F4, and keypad cursor keys */
		c = getc_soon();
		if (c >= 'P' && c <= 'S')
			return SCAN_F1 + (c - 'P');
	} else if (c != '[') {
		unread = c; /* ESC, then another key typed quickly */
		return SCAN_ESC;
	} else {
		c = getc_soon();
		while (c >= '0' && c <= '9' && n < 100) {
			n = n * 10 + (c - '0');
			c = getc_soon();
		}
		if (c == '~')
			return n < (int)sizeof(tilde_keys) ? tilde_keys[n] : SCAN_NULL;
	}
	switch (c) {
	case 'A':
		return SCAN_UP;
	case 'B':
		return SCAN_DOWN;
	case 'C':
		return SCAN_RIGHT;
	case 'D':
		return SCAN_LEFT;
	case 'H':
		return SCAN_HOME;
	case 'F':
		return SCAN_END;
	default:
		return SCAN_NULL;
	}
}

/* One UTF-8 sequence after its lead byte; U+FFFD if it is not valid. */
static UINT16 read_utf8(int lead)
{
	int more = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
	uint32_t c = lead & (0x3f >> more);

	for (int i = 0; i < more; i++) {
		int b = getc_soon();

		if (b < 0 || (b & 0xc0) != 0x80)
			return 0xfffd;
		c = c << 6 | (b & 0x3f);
	}
	return c < 0x80 || c > 0xffff || (c >= 0xd800 && c < 0xe000) ? 0xfffd : c;
}

static EFI_STATUS read_key(EFI_INPUT_KEY *key, UINT32 *shift)
{
	int c;

	if (!key)
		return EFI_INVALID_PARAMETER;
	efi_timer_check();
	*shift = EFI_SHIFT_STATE_VALID;
	if (!key_waiting_byte())
		return EFI_NOT_READY;
	c = next_byte();
	key->ScanCode = SCAN_NULL;
	key->UnicodeChar = 0;
	if (c == 0x1b) {
		key->ScanCode = read_escape();
		if (key->ScanCode == SCAN_NULL)
			return EFI_NOT_READY; /* a sequence we do not know: dropped */
	} else if (c == 0x7f || c == '\b') {
		key->UnicodeChar = CHAR_BACKSPACE;
	} else if (c == '\n' || c == '\r') {
		key->UnicodeChar = CHAR_CARRIAGE_RETURN;
	} else if (c >= 0xc2 && c <= 0xf4) {
		key->UnicodeChar = read_utf8(c);
	} else {
		key->UnicodeChar = c < 0x80 ? c : 0xfffd; /* control characters as they are */
	}
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI read_key_stroke(EFI_SIMPLE_TEXT_IN_PROTOCOL *this, EFI_INPUT_KEY *key)
{
	UINT32 shift;

	return read_key(key, &shift);
}

static EFI_STATUS EFIAPI read_key_stroke_ex(EFI_SIMPLE_TEXT_INPUT_EX_PROTOCOL *this,
					    EFI_KEY_DATA *data)
{
	if (!data)
		return EFI_INVALID_PARAMETER;
	memset(&data->KeyState, 0, sizeof(data->KeyState));
	return read_key(&data->Key, &data->KeyState.KeyShiftState);
}

static EFI_STATUS EFIAPI reset_in(EFI_SIMPLE_TEXT_IN_PROTOCOL *this, BOOLEAN ext)
{
	unread = -1;
	while (console_tstc()) /* forget typed-ahead keys, as a reset does */
		console_getc();
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI reset_in_ex(EFI_SIMPLE_TEXT_INPUT_EX_PROTOCOL *this, BOOLEAN ext)
{
	return reset_in(NULL, ext);
}

static EFI_STATUS EFIAPI set_state(EFI_SIMPLE_TEXT_INPUT_EX_PROTOCOL *this,
				   EFI_KEY_TOGGLE_STATE *state)
{
	return state ? EFI_SUCCESS : EFI_INVALID_PARAMETER; /* no toggles on a serial line */
}

static EFI_STATUS EFIAPI register_key_notify(EFI_SIMPLE_TEXT_INPUT_EX_PROTOCOL *this,
					     EFI_KEY_DATA *key, EFI_KEY_NOTIFY_FUNCTION fn,
					     VOID **handle)
{
	return EFI_UNSUPPORTED;
}

static EFI_STATUS EFIAPI unregister_key_notify(EFI_SIMPLE_TEXT_INPUT_EX_PROTOCOL *this,
					       VOID *handle)
{
	return EFI_INVALID_PARAMETER; /* nothing can have been registered */
}

/* WaitForKey(Ex): signalled while a byte is waiting. */
static VOID EFIAPI key_waiting(EFI_EVENT event, VOID *ctx)
{
	if (key_waiting_byte())
		efi_signal_event(event);
}

EFI_STATUS efi_console_init(void)
{
	static const EFI_GUID out_guid = EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL_GUID;
	static const EFI_GUID in_guid = EFI_SIMPLE_TEXT_INPUT_PROTOCOL_GUID;
	static const EFI_GUID in_ex_guid = EFI_SIMPLE_TEXT_INPUT_EX_PROTOCOL_GUID;
	EFI_HANDLE h = NULL;
	EFI_STATUS ret;

	con_out = (EFI_SIMPLE_TEXT_OUT_PROTOCOL){
	    reset_out,	   output_string, test_string,	       query_mode,    set_mode,
	    set_attribute, clear_screen,  set_cursor_position, enable_cursor, &out_mode};
	con_in = (EFI_SIMPLE_TEXT_IN_PROTOCOL){reset_in, read_key_stroke, NULL};
	con_in_ex = (EFI_SIMPLE_TEXT_INPUT_EX_PROTOCOL){
	    reset_in_ex, read_key_stroke_ex,  NULL,
	    set_state,	 register_key_notify, unregister_key_notify};
	out_mode.CursorColumn = out_mode.CursorRow = 0;
	unread = -1;
	ret = efi_create_event(EVT_NOTIFY_WAIT, TPL_NOTIFY, key_waiting, NULL, NULL,
			       &con_in.WaitForKey);
	if (!ret)
		ret = efi_create_event(EVT_NOTIFY_WAIT, TPL_NOTIFY, key_waiting, NULL, NULL,
				       &con_in_ex.WaitForKeyEx);
	if (!ret)
		ret = efi_install_protocol(&h, &out_guid, &con_out);
	if (!ret)
		ret = efi_install_protocol(&h, &in_guid, &con_in);
	if (!ret)
		ret = efi_install_protocol(&h, &in_ex_guid, &con_in_ex);
	if (ret)
		return ret;
	efi_systab->ConsoleInHandle = efi_systab->ConsoleOutHandle = h;
	efi_systab->StandardErrorHandle = h;
	efi_systab->ConIn = &con_in;
	efi_systab->ConOut = efi_systab->StdErr = &con_out;
	return EFI_SUCCESS;
}
