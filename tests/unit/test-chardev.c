/* tests/unit/test-chardev.c — character backends: output, input with back-pressure, sockets,
 * spec errors, line prefixes, and the stdio tty (in forked children on a pseudo-terminal, so
 * that this process's own stdin/stdout, the TAP stream, are never touched). */
#include "config.h"

#include "core/chardev.h"
#include "core/error.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* ---- helpers ----------------------------------------------------------------------------- */

/* A UART receive FIFO as a device model would have it. */
typedef struct {
	GByteArray *got;
	size_t cap;          /* 0: unlimited (can_receive not used) */
	size_t level;
	size_t last_room;
	bool in_quantum;     /* set while the "guest" runs: nothing may arrive then */
	unsigned bad;        /* deliveries that broke the contract */
} Uart;

static size_t uart_can_receive(void *opaque)
{
	Uart *u = opaque;
	u->last_room = u->cap - u->level;
	return u->last_room;
}

static void uart_receive(void *opaque, const uint8_t *buf, size_t len)
{
	Uart *u = opaque;
	if (u->in_quantum || len == 0 || (u->cap && len > u->last_room))
		u->bad++;
	g_byte_array_append(u->got, buf, (guint)len);
	u->level += len;
}

static void uart_init(Uart *u, size_t cap)
{
	memset(u, 0, sizeof *u);
	u->got = g_byte_array_new();
	u->cap = cap;
}

static void uart_attach(Uart *u, SocChardev *c)
{
	soc_chardev_set_receiver(c, u->cap ? uart_can_receive : NULL, uart_receive, u);
}

/* Iterate until nothing is ready. False if that never happens (a source spinning). */
static bool drain(GMainContext *ctx)
{
	for (int i = 0; i < 10000; i++)
		if (!g_main_context_iteration(ctx, FALSE))
			return !g_main_context_pending(ctx);
	return false;
}

typedef bool (*Pred)(void *arg);

/* Iterate (and let the kernel move socket data) until pred holds; at most 5 s. */
static bool iterate_until(GMainContext *ctx, Pred pred, void *arg)
{
	gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	while (!pred(arg)) {
		if (g_get_monotonic_time() > deadline)
			return false;
		if (!g_main_context_iteration(ctx, FALSE))
			g_usleep(1000);
	}
	return true;
}

static bool pred_connected(void *arg)
{
	return soc_chardev_is_connected(arg);
}

static bool pred_disconnected(void *arg)
{
	return !soc_chardev_is_connected(arg);
}

typedef struct {
	Uart *u;
	size_t len;
} UartWant;

static bool pred_uart_has(void *arg)
{
	UartWant *w = arg;
	return w->u->got->len >= w->len;
}

/* Read from a client socket until `len` bytes came (iterating ctx so the backend flushes). */
static GByteArray *client_read(GMainContext *ctx, int fd, size_t len)
{
	GByteArray *a = g_byte_array_new();
	gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	uint8_t buf[65536];
	while (a->len < len && g_get_monotonic_time() < deadline) {
		while (g_main_context_iteration(ctx, FALSE))
			;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (poll(&pfd, 1, 5) <= 0)
			continue;
		ssize_t n = read(fd, buf, sizeof buf);
		if (n <= 0)
			break;
		g_byte_array_append(a, buf, (guint)n);
	}
	return a;
}

/* True when the peer closed the connection within 5 s (read returns 0). */
static bool client_sees_eof(GMainContext *ctx, int fd)
{
	gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	while (g_get_monotonic_time() < deadline) {
		while (g_main_context_iteration(ctx, FALSE))
			;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (poll(&pfd, 1, 5) <= 0)
			continue;
		uint8_t b;
		ssize_t n = read(fd, &b, 1);
		return n == 0 || (n < 0 && errno == ECONNRESET);
	}
	return false;
}

static int connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	g_assert_cmpuint(strlen(path), <, sizeof sa.sun_path);
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(connect(fd, (struct sockaddr *)&sa, sizeof sa), ==, 0);
	return fd;
}

static int connect_tcp4(unsigned port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(connect(fd, (struct sockaddr *)&sa, sizeof sa), ==, 0);
	return fd;
}

static void write_file(const char *path, const void *data, size_t len)
{
	GError *err = NULL;
	g_assert_true(g_file_set_contents(path, data, (gssize)len, &err));
	g_assert_no_error(err);
}

static void rm_tmpdir(char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	g_assert_nonnull(d);
	const char *name;
	while ((name = g_dir_read_name(d))) {
		char *p = g_build_filename(dir, name, NULL);
		g_assert_cmpint(g_unlink(p), ==, 0);
		g_free(p);
	}
	g_dir_close(d);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
	g_free(dir);
}

static char *make_tmpdir(void)
{
	GError *err = NULL;
	char *dir = g_dir_make_tmp("socemu-chardev-XXXXXX", &err);
	g_assert_no_error(err);
	return dir;
}

static SocChardev *open_ok(const char *spec, GMainContext *ctx)
{
	SocChardevHost host = { .ctx = ctx };
	GError *err = NULL;
	SocChardev *c = soc_chardev_open(spec, &host, &err);
	g_assert_no_error(err);
	g_assert_nonnull(c);
	return c;
}

/* The spec fails with `code`; the message starts with the spec and contains `needle`. */
static void open_fails(const char *spec, GMainContext *ctx, int code, const char *needle)
{
	SocChardevHost host = { .ctx = ctx };
	GError *err = NULL;
	SocChardev *c = soc_chardev_open(spec, &host, &err);
	if (c)
		g_error("spec \"%s\" was accepted", spec);
	g_assert_error(err, SOC_ERROR, code);
	char *prefix = g_strdup_printf("chardev \"%s\": ", spec);
	if (!g_str_has_prefix(err->message, prefix) || !strstr(err->message, needle))
		g_error("spec \"%s\": message \"%s\" lacks \"%s\"", spec, err->message, needle);
	g_free(prefix);
	g_error_free(err);
}

static void write_str(SocChardev *c, const char *s)
{
	soc_chardev_write(c, (const uint8_t *)s, strlen(s));
}

/* ---- null and file ------------------------------------------------------------------------ */

static void test_null(void)
{
	GMainContext *ctx = g_main_context_new();
	SocChardev *c = open_ok("null", ctx);
	g_assert_cmpstr(soc_chardev_describe(c), ==, "null");
	g_assert_true(soc_chardev_is_connected(c));
	write_str(c, "discarded\n");
	Uart u;
	uart_init(&u, 16);
	uart_attach(&u, c);
	g_assert_true(drain(ctx));
	g_assert_cmpuint(u.got->len, ==, 0);
	g_assert_false(soc_chardev_has_pending_input(c));
	g_assert_cmpuint(soc_chardev_dropped_bytes(c), ==, 0);
	soc_chardev_close(c);
	g_byte_array_unref(u.got);
	g_main_context_unref(ctx);
}

static void test_file_output(void)
{
	GMainContext *ctx = g_main_context_new();
	char *dir = make_tmpdir();
	char *path = g_build_filename(dir, "out.txt", NULL);
	write_file(path, "old content that is longer than the new one\n", 44);
	char *spec = g_strdup_printf("file:%s", path);
	SocChardev *c = open_ok(spec, ctx);
	g_assert_cmpstr(soc_chardev_describe(c), ==, spec);
	static const uint8_t bin[] = { 'h', 'i', 0, 0xff, '\n', 0x01 };
	soc_chardev_write(c, bin, sizeof bin);
	soc_chardev_write(c, NULL, 0);
	write_str(c, "more");
	soc_chardev_close(c);

	char *data;
	gsize len;
	g_assert_true(g_file_get_contents(path, &data, &len, NULL));
	g_assert_cmpmem(data, len, "hi\0\xff\n\x01more", 10);
	g_free(data);
	g_free(spec);
	g_free(path);
	rm_tmpdir(dir);
	g_main_context_unref(ctx);
}

/* A path with a comma is written with ",,". */
static void test_file_comma_path(void)
{
	GMainContext *ctx = g_main_context_new();
	char *dir = make_tmpdir();
	char *spec = g_strdup_printf("file:%s/a,,b", dir);
	SocChardev *c = open_ok(spec, ctx);
	write_str(c, "x");
	soc_chardev_close(c);
	char *path = g_build_filename(dir, "a,b", NULL);
	g_assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));
	g_free(path);
	g_free(spec);
	rm_tmpdir(dir);
	g_main_context_unref(ctx);
}

#define INPUT_LEN 10000u

static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 7 + i / 251);   /* includes 0x01 (Ctrl-A): no escape outside stdio */
}

/* A slow device: a 16-byte FIFO drained 5 bytes per "quantum". Nothing is lost or reordered,
 * nothing arrives during a quantum or beyond can_receive, and while the device is full the
 * backend stops polling (a regular file is always readable, so a live watch would show up as
 * a pending source). */
static void test_file_input_backpressure(void)
{
	GMainContext *ctx = g_main_context_new();
	char *dir = make_tmpdir();
	char *in = g_build_filename(dir, "in.bin", NULL);
	uint8_t *data = g_malloc(INPUT_LEN);
	for (size_t i = 0; i < INPUT_LEN; i++)
		data[i] = pattern(i);
	write_file(in, data, INPUT_LEN);
	char *spec = g_strdup_printf("file:%s/out.txt,in=%s", dir, in);
	SocChardev *c = open_ok(spec, ctx);
	g_assert_cmpstr(soc_chardev_describe(c), ==, spec);

	Uart u;
	uart_init(&u, 16);
	uart_attach(&u, c);
	g_assert_true(drain(ctx));
	g_assert_cmpuint(u.got->len, ==, 16);
	g_assert_true(soc_chardev_has_pending_input(c));
	g_assert_false(g_main_context_pending(ctx));

	unsigned rounds = 0;
	while (u.got->len < INPUT_LEN && rounds++ < INPUT_LEN) {
		u.in_quantum = true;
		size_t k = MIN(u.level, 5);
		u.level -= k;
		size_t before = u.got->len;
		soc_chardev_accept_input(c);
		g_assert_cmpuint(u.got->len, ==, before);   /* nothing during the quantum */
		u.in_quantum = false;
		g_assert_true(drain(ctx));
		g_assert_cmpuint(u.level, <=, u.cap);
	}
	g_assert_cmpuint(u.bad, ==, 0);
	g_assert_cmpmem(u.got->data, u.got->len, data, INPUT_LEN);
	g_assert_false(soc_chardev_has_pending_input(c));
	/* At end of file the backend stops watching: the context goes quiet. */
	g_assert_true(drain(ctx));
	g_assert_false(g_main_context_pending(ctx));

	soc_chardev_close(c);
	g_byte_array_unref(u.got);
	g_free(data);
	g_free(spec);
	g_free(in);
	rm_tmpdir(dir);
	g_main_context_unref(ctx);
}

/* Without a receiver input is buffered, bounded, then delivered once one is set. */
static void test_file_input_no_receiver(void)
{
	GMainContext *ctx = g_main_context_new();
	char *dir = make_tmpdir();
	char *in = g_build_filename(dir, "in.bin", NULL);
	uint8_t *data = g_malloc(INPUT_LEN);
	for (size_t i = 0; i < INPUT_LEN; i++)
		data[i] = pattern(i);
	write_file(in, data, INPUT_LEN);
	char *spec = g_strdup_printf("file:%s/out.txt,in=%s", dir, in);
	SocChardev *c = open_ok(spec, ctx);

	g_assert_true(drain(ctx));   /* terminates: polling paused once the buffer is full */
	g_assert_true(soc_chardev_has_pending_input(c));

	Uart u;
	uart_init(&u, 0);
	uart_attach(&u, c);
	g_assert_cmpuint(u.got->len, ==, 0);   /* set_receiver delivers only from the context */
	g_assert_true(drain(ctx));
	g_assert_cmpuint(u.bad, ==, 0);
	g_assert_cmpmem(u.got->data, u.got->len, data, INPUT_LEN);

	/* Detached again: nothing more arrives, nothing breaks. */
	soc_chardev_set_receiver(c, NULL, NULL, NULL);
	g_assert_true(drain(ctx));

	soc_chardev_close(c);
	g_byte_array_unref(u.got);
	g_free(data);
	g_free(spec);
	g_free(in);
	rm_tmpdir(dir);
	g_main_context_unref(ctx);
}

static void test_line_prefix(void)
{
	GMainContext *ctx = g_main_context_new();
	char *dir = make_tmpdir();
	char *path = g_build_filename(dir, "out.txt", NULL);
	char *spec = g_strdup_printf("file:%s", path);
	SocChardev *c = open_ok(spec, ctx);
	soc_chardev_set_line_prefix(c, "[rt] ");
	write_str(c, "a\nb");
	write_str(c, "c\n\nd");
	write_str(c, "\n");
	soc_chardev_set_line_prefix(c, NULL);
	write_str(c, "plain\n");
	soc_chardev_set_line_prefix(c, "[m] ");
	write_str(c, "x\n");
	soc_chardev_close(c);

	char *text;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, "[rt] a\n[rt] bc\n[rt] \n[rt] d\nplain\n[m] x\n");
	g_free(text);
	g_free(spec);
	g_free(path);
	rm_tmpdir(dir);
	g_main_context_unref(ctx);
}

/* ---- sockets -------------------------------------------------------------------------------- */

/* One client: output before it connects is dropped; its input reaches the device; a second
 * client is turned away; after the first leaves, a new one is served. */
static void exercise_server(GMainContext *ctx, SocChardev *c, int (*dial)(const void *arg),
                            const void *arg)
{
	Uart u;
	uart_init(&u, 64);
	uart_attach(&u, c);
	g_assert_false(soc_chardev_is_connected(c));
	write_str(c, "nobody hears this");
	g_assert_cmpuint(soc_chardev_dropped_bytes(c), ==, 0);

	int cl = dial(arg);
	g_assert_true(iterate_until(ctx, pred_connected, c));
	write_str(c, "hello client\n");
	GByteArray *a = client_read(ctx, cl, 13);
	g_assert_cmpmem(a->data, a->len, "hello client\n", 13);
	g_byte_array_unref(a);

	g_assert_cmpint(write(cl, "typed", 5), ==, 5);
	UartWant w = { &u, 5 };
	g_assert_true(iterate_until(ctx, pred_uart_has, &w));
	g_assert_cmpmem(u.got->data, u.got->len, "typed", 5);

	int extra = dial(arg);
	g_assert_true(client_sees_eof(ctx, extra));
	close(extra);
	g_assert_true(soc_chardev_is_connected(c));

	close(cl);
	g_assert_true(iterate_until(ctx, pred_disconnected, c));
	write_str(c, "dropped silently");
	g_assert_cmpuint(soc_chardev_dropped_bytes(c), ==, 0);

	cl = dial(arg);
	g_assert_true(iterate_until(ctx, pred_connected, c));
	g_assert_cmpint(write(cl, "again", 5), ==, 5);
	w.len = 10;
	g_assert_true(iterate_until(ctx, pred_uart_has, &w));
	g_assert_cmpmem(u.got->data, u.got->len, "typedagain", 10);
	write_str(c, "bye");
	soc_chardev_close(c);   /* flushes to the client, then closes it */
	a = client_read(ctx, cl, 3);
	g_assert_cmpmem(a->data, a->len, "bye", 3);
	g_byte_array_unref(a);
	g_assert_true(client_sees_eof(ctx, cl));
	close(cl);
	g_assert_cmpuint(u.bad, ==, 0);
	g_byte_array_unref(u.got);
}

static int dial_unix(const void *arg)
{
	return connect_unix(arg);
}

static int dial_tcp(const void *arg)
{
	return connect_tcp4(*(const unsigned *)arg);
}

static void test_unix(void)
{
	GMainContext *ctx = g_main_context_new();
	char *dir = make_tmpdir();
	char *path = g_build_filename(dir, "console.sock", NULL);
	char *spec = g_strdup_printf("unix:%s", path);
	SocChardev *c = open_ok(spec, ctx);
	g_assert_cmpstr(soc_chardev_describe(c), ==, spec);
	g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));

	/* The path is taken while we listen. */
	open_fails(spec, ctx, SOC_ERROR_IO, "in use");
	/* That check's probe connection is accepted and, closed already, dropped. */
	g_assert_true(drain(ctx));
	g_assert_false(soc_chardev_is_connected(c));
	GError *err = NULL;
	g_assert_true(soc_chardev_wait_for_client(c, &err));   /* no ",wait": returns at once */
	g_assert_no_error(err);

	exercise_server(ctx, c, dial_unix, path);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));   /* removed on close */
	g_free(spec);
	g_free(path);
	rm_tmpdir(dir);
	g_assert_true(drain(ctx));
	g_main_context_unref(ctx);
}

/* A socket file left over by a run that died is replaced; any other file is not. */
static void test_unix_stale(void)
{
	GMainContext *ctx = g_main_context_new();
	char *dir = make_tmpdir();
	char *path = g_build_filename(dir, "stale.sock", NULL);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	g_assert_cmpint(bind(fd, (struct sockaddr *)&sa, sizeof sa), ==, 0);
	close(fd);
	char *spec = g_strdup_printf("unix:%s", path);
	SocChardev *c = open_ok(spec, ctx);
	soc_chardev_close(c);
	g_free(spec);

	char *plain = g_build_filename(dir, "plain", NULL);
	write_file(plain, "keep me", 7);
	spec = g_strdup_printf("unix:%s", plain);
	open_fails(spec, ctx, SOC_ERROR_IO, "not a socket");
	g_assert_true(g_file_test(plain, G_FILE_TEST_IS_REGULAR));
	g_free(spec);
	g_free(plain);
	g_free(path);
	rm_tmpdir(dir);
	g_main_context_unref(ctx);
}

static unsigned port_of(const char *desc, const char *prefix)
{
	g_assert_true(g_str_has_prefix(desc, prefix));
	char *end;
	unsigned long port = strtoul(desc + strlen(prefix), &end, 10);
	g_assert_cmpstr(end, ==, "");
	g_assert_cmpuint(port, >, 0);
	g_assert_cmpuint(port, <, 65536);
	return (unsigned)port;
}

static void test_tcp(void)
{
	GMainContext *ctx = g_main_context_new();
	SocChardev *c = open_ok("tcp:127.0.0.1:0", ctx);
	unsigned port = port_of(soc_chardev_describe(c), "tcp:127.0.0.1:");

	/* The real port is taken: asking for it again is an I/O error naming the spec. */
	char *again = g_strdup_printf("tcp:127.0.0.1:%u", port);
	open_fails(again, ctx, SOC_ERROR_IO, "cannot bind");
	g_free(again);

	exercise_server(ctx, c, dial_tcp, &port);
	g_assert_true(drain(ctx));
	g_main_context_unref(ctx);
}

static void test_tcp_localhost(void)
{
	GMainContext *ctx = g_main_context_new();
	SocChardev *c = open_ok("tcp:localhost:0", ctx);
	port_of(soc_chardev_describe(c), "tcp:127.0.0.1:");
	soc_chardev_close(c);
	c = open_ok("tcp::0", ctx);   /* empty host: loopback too */
	port_of(soc_chardev_describe(c), "tcp:127.0.0.1:");
	soc_chardev_close(c);

	SocChardevHost host = { .ctx = ctx };
	GError *err = NULL;
	c = soc_chardev_open("tcp:[::1]:0", &host, &err);
	if (c) {
		port_of(soc_chardev_describe(c), "tcp:[::1]:");
		soc_chardev_close(c);
	} else {
		/* A host without IPv6: the failure is the bind, not the address check. */
		g_assert_error(err, SOC_ERROR, SOC_ERROR_IO);
		g_clear_error(&err);
	}
	g_main_context_unref(ctx);
}

static void test_tcp_non_loopback(void)
{
	static const char *const specs[] = {
		"tcp:0.0.0.0:0", "tcp:10.1.2.3:4000", "tcp:192.168.0.1:0", "tcp:example.com:0",
		"tcp:[::]:0", "tcp:[fe80::1]:0", "tcp:128.0.0.1:0",
	};
	GMainContext *ctx = g_main_context_new();
	for (size_t i = 0; i < G_N_ELEMENTS(specs); i++)
		open_fails(specs[i], ctx, SOC_ERROR_USAGE, "not a loopback address");
	g_assert_false(g_main_context_pending(ctx));
	g_main_context_unref(ctx);
}

static void test_socket_wait(void)
{
	GMainContext *ctx = g_main_context_new();
	char *dir = make_tmpdir();
	char *path = g_build_filename(dir, "w.sock", NULL);
	char *spec = g_strdup_printf("unix:%s,wait", path);
	SocChardev *c = open_ok(spec, ctx);   /* does not block */
	char *where = g_strdup_printf("unix:%s", path);
	g_assert_cmpstr(soc_chardev_describe(c), ==, where);   /* the address, without options */
	g_free(where);
	g_assert_false(soc_chardev_is_connected(c));
	/* The kernel completes the connection from the backlog; wait accepts it. */
	int cl = connect_unix(path);
	GError *err = NULL;
	g_assert_true(soc_chardev_wait_for_client(c, &err));
	g_assert_no_error(err);
	g_assert_true(soc_chardev_is_connected(c));
	soc_chardev_close(c);
	close(cl);

	c = open_ok("tcp:127.0.0.1:0,wait", ctx);
	cl = connect_tcp4(port_of(soc_chardev_describe(c), "tcp:127.0.0.1:"));
	g_assert_true(soc_chardev_wait_for_client(c, &err));
	g_assert_no_error(err);
	g_assert_true(soc_chardev_is_connected(c));
	soc_chardev_close(c);
	close(cl);

	g_free(spec);
	g_free(path);
	rm_tmpdir(dir);
	g_main_context_unref(ctx);
}

/* A client that does not read: writes never block, at most SOC_CHARDEV_OUTPUT_MAX is queued,
 * the rest is counted as dropped, and everything not counted reaches the client. */
static void test_socket_overflow(void)
{
	GMainContext *ctx = g_main_context_new();
	char *dir = make_tmpdir();
	char *path = g_build_filename(dir, "o.sock", NULL);
	char *spec = g_strdup_printf("unix:%s", path);
	SocChardev *c = open_ok(spec, ctx);
	int cl = connect_unix(path);
	g_assert_true(iterate_until(ctx, pred_connected, c));

	size_t chunk = 64 * 1024, total = 8 * 1024 * 1024;
	uint8_t *buf = g_malloc(chunk);
	memset(buf, 'z', chunk);
	gint64 t0 = g_get_monotonic_time();
	for (size_t done = 0; done < total; done += chunk)
		soc_chardev_write(c, buf, chunk);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 2 * G_USEC_PER_SEC);
	uint64_t dropped = soc_chardev_dropped_bytes(c);
	g_assert_cmpuint(dropped, >, 0);
	g_assert_cmpuint(dropped, <=, total - SOC_CHARDEV_OUTPUT_MAX);

	GByteArray *a = client_read(ctx, cl, total - dropped);
	g_assert_cmpuint(a->len, ==, total - dropped);
	g_byte_array_unref(a);
	g_assert_cmpuint(soc_chardev_dropped_bytes(c), ==, dropped);

	soc_chardev_close(c);
	close(cl);
	g_free(buf);
	g_free(spec);
	g_free(path);
	rm_tmpdir(dir);
	g_main_context_unref(ctx);
}

/* ---- bad specs -------------------------------------------------------------------------- */

static void test_bad_specs(void)
{
	static const struct {
		const char *spec;
		int code;
		const char *needle;
	} cases[] = {
		{ "", SOC_ERROR_USAGE, "missing backend" },
		{ ":x", SOC_ERROR_USAGE, "missing backend" },
		{ "bogus", SOC_ERROR_USAGE, "unknown backend \"bogus\"" },
		{ "serial:/dev/ttyS0", SOC_ERROR_USAGE, "unknown backend \"serial\"" },
		{ "file", SOC_ERROR_USAGE, "file needs a path" },
		{ "file:", SOC_ERROR_USAGE, "file needs a path" },
		{ "file:/tmp/x,in=", SOC_ERROR_USAGE, "missing input path" },
		{ "file:/tmp/x,in=a,in=b", SOC_ERROR_USAGE, "given twice" },
		{ "file:/tmp/x,wait", SOC_ERROR_USAGE, "unknown option \"wait\"" },
		{ "null:x", SOC_ERROR_USAGE, "null takes no argument" },
		{ "null,wait", SOC_ERROR_USAGE, "unknown option" },
		{ "stdio:x", SOC_ERROR_USAGE, "takes no argument" },
		{ "stdio,raw", SOC_ERROR_USAGE, "unknown option \"raw\"" },
		{ "unix", SOC_ERROR_USAGE, "unix needs a path" },
		{ "unix:", SOC_ERROR_USAGE, "unix needs a path" },
		{ "unix:/tmp/x,in=y", SOC_ERROR_USAGE, "unknown option \"in\"" },
		{ "tcp", SOC_ERROR_USAGE, "HOST:PORT" },
		{ "tcp:", SOC_ERROR_USAGE, "HOST:PORT" },
		{ "tcp:127.0.0.1", SOC_ERROR_USAGE, "expected tcp:HOST:PORT" },
		{ "tcp:127.0.0.1:", SOC_ERROR_USAGE, "port \"\"" },
		{ "tcp:127.0.0.1:65536", SOC_ERROR_USAGE, "0 to 65535" },
		{ "tcp:127.0.0.1:99999999999", SOC_ERROR_USAGE, "0 to 65535" },
		{ "tcp:127.0.0.1:-1", SOC_ERROR_USAGE, "port \"-1\"" },
		{ "tcp:127.0.0.1:12ab", SOC_ERROR_USAGE, "port \"12ab\"" },
		{ "tcp:127.0.0.1:0,wait=yes", SOC_ERROR_USAGE, "takes no value" },
		{ "tcp:127.0.0.1:0,", SOC_ERROR_USAGE, "empty option" },
		{ "tcp:127.0.0.1:0,,wait", SOC_ERROR_USAGE, "port \"0,wait\"" },
	};
	GMainContext *ctx = g_main_context_new();
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
		open_fails(cases[i].spec, ctx, cases[i].code, cases[i].needle);

	/* Host errors name the path. */
	char *dir = make_tmpdir();
	char *spec = g_strdup_printf("file:%s/no/such/dir/out", dir);
	open_fails(spec, ctx, SOC_ERROR_IO, "no/such/dir/out");
	g_free(spec);
	/* A missing input file fails before the output file is created. */
	spec = g_strdup_printf("file:%s/out,in=%s/missing", dir, dir);
	open_fails(spec, ctx, SOC_ERROR_IO, "/missing");
	char *out = g_build_filename(dir, "out", NULL);
	g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
	g_free(out);
	g_free(spec);
	spec = g_strdup_printf("unix:%s/no/such/dir/s", dir);
	open_fails(spec, ctx, SOC_ERROR_IO, "no/such/dir/s");
	g_free(spec);
	char *longpath = g_strnfill(200, 'p');
	spec = g_strdup_printf("unix:%s/%s", dir, longpath);
	open_fails(spec, ctx, SOC_ERROR_USAGE, "longer than");
	g_free(spec);
	g_free(longpath);
	rm_tmpdir(dir);

	g_assert_false(g_main_context_pending(ctx));
	g_main_context_unref(ctx);
}

static void test_help(void)
{
	const char *h = soc_chardev_help();
	g_assert_nonnull(strstr(h, "stdio"));
	g_assert_nonnull(strstr(h, "tcp:HOST:PORT"));
	g_assert_nonnull(strstr(h, "Ctrl-A x"));
}

/* ---- stdio (forked children) -------------------------------------------------------------- */

typedef struct {
	bool quit;
} ChildState;

static void child_quit(void *opaque)
{
	((ChildState *)opaque)->quit = true;
}

static bool read_byte_timeout(int fd, char *b)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	if (poll(&pfd, 1, 5000) <= 0)
		return false;
	return read(fd, b, 1) == 1;
}

/* Wait for the child; kill it if it is stuck, so that no process outlives the test. */
static int reap(pid_t pid)
{
	int status;
	for (int i = 0; i < 500; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		g_usleep(10000);
	}
	kill(pid, SIGKILL);
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	return status;
}

static void assert_exit_ok(int status)
{
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		g_error("child failed: %s %d", WIFEXITED(status) ? "exit" : "signal",
		        WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

typedef enum { TTY_CLOSE, TTY_SIGTERM, TTY_ATEXIT, TTY_ESCAPE } TtyMode;

static const char escape_input[] = "ab\x03\x01\x01" "c\x01h\x01q\x01x";
static const char escape_expect[] = "ab\x03\x01" "c";

static void child_append(void *opaque, const uint8_t *buf, size_t len)
{
	g_byte_array_append(opaque, buf, (guint)len);
}

static G_GNUC_NORETURN void tty_child(int slave, int ready_fd, int go_fd, TtyMode mode)
{
	alarm(10);
	dup2(slave, STDIN_FILENO);
	dup2(slave, STDOUT_FILENO);
	dup2(slave, STDERR_FILENO);
	close(slave);
	GMainContext *ctx = g_main_context_new();
	ChildState st = { false };
	SocChardevHost host = { ctx, child_quit, &st };
	SocChardev *c = soc_chardev_open("stdio", &host, NULL);
	if (!c)
		_exit(10);
	GByteArray *got = g_byte_array_new();
	soc_chardev_set_receiver(c, NULL, child_append, got);
	if (mode == TTY_ESCAPE)
		soc_chardev_write(c, (const uint8_t *)"hello\n", 6);
	if (write(ready_fd, "R", 1) != 1)
		_exit(11);
	char b;
	switch (mode) {
	case TTY_CLOSE:
		if (!read_byte_timeout(go_fd, &b))
			_exit(12);
		soc_chardev_close(c);
		g_byte_array_unref(got);
		g_main_context_unref(ctx);
		_exit(0);
	case TTY_SIGTERM:
		for (;;)
			pause();
	case TTY_ATEXIT:
		if (!read_byte_timeout(go_fd, &b))
			_exit(12);
		exit(0);   /* no close: the atexit handler restores the tty */
	case TTY_ESCAPE:
		while (!st.quit)
			g_main_context_iteration(ctx, TRUE);
		bool ok = got->len == sizeof escape_expect - 1 &&
		          !memcmp(got->data, escape_expect, got->len);
		soc_chardev_close(c);
		g_byte_array_unref(got);
		g_main_context_unref(ctx);
		_exit(ok ? 0 : 13);
	}
	_exit(14);
}

static bool termios_same(const struct termios *a, const struct termios *b)
{
	return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag && a->c_cflag == b->c_cflag &&
	       a->c_lflag == b->c_lflag && a->c_cc[VMIN] == b->c_cc[VMIN] &&
	       a->c_cc[VTIME] == b->c_cc[VTIME] && a->c_cc[VINTR] == b->c_cc[VINTR];
}

static void run_tty(TtyMode mode)
{
	int master, slave;
	g_assert_cmpint(openpty(&master, &slave, NULL, NULL, NULL), ==, 0);
	struct termios orig;
	g_assert_cmpint(tcgetattr(slave, &orig), ==, 0);
	g_assert_true(orig.c_lflag & ICANON);
	int ready[2], go[2];
	g_assert_cmpint(pipe(ready), ==, 0);
	g_assert_cmpint(pipe(go), ==, 0);

	pid_t pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		close(master);
		close(ready[0]);
		close(go[1]);
		tty_child(slave, ready[1], go[0], mode);
	}
	close(ready[1]);
	close(go[0]);

	char b;
	bool ready_ok = read_byte_timeout(ready[0], &b);
	struct termios raw;
	g_assert_cmpint(tcgetattr(slave, &raw), ==, 0);
	if (!ready_ok) {
		kill(pid, SIGKILL);
		reap(pid);
		g_error("child did not open stdio");
	}
	/* Raw input, output processing kept. */
	g_assert_false(raw.c_lflag & (ICANON | ECHO | ISIG));
	g_assert_false(raw.c_iflag & (ICRNL | IXON));
	g_assert_cmpuint(raw.c_oflag, ==, orig.c_oflag);

	int status;
	switch (mode) {
	case TTY_CLOSE:
	case TTY_ATEXIT:
		g_assert_cmpint(write(go[1], "G", 1), ==, 1);
		assert_exit_ok(reap(pid));
		break;
	case TTY_SIGTERM:
		g_assert_cmpint(kill(pid, SIGTERM), ==, 0);
		status = reap(pid);
		g_assert_true(WIFSIGNALED(status));
		g_assert_cmpint(WTERMSIG(status), ==, SIGTERM);
		break;
	case TTY_ESCAPE: {
		g_assert_cmpint(write(master, escape_input, sizeof escape_input - 1), ==,
		                (ssize_t)sizeof escape_input - 1);
		assert_exit_ok(reap(pid));
		/* What the child wrote to the terminal: the guest's line with \n -> \r\n (output
		 * processing kept), and the escape help on stderr. */
		GString *seen = g_string_new(NULL);
		struct pollfd pfd = { .fd = master, .events = POLLIN };
		while (poll(&pfd, 1, 200) > 0) {
			char buf[1024];
			ssize_t n = read(master, buf, sizeof buf);
			if (n <= 0)
				break;
			g_string_append_len(seen, buf, n);
		}
		g_assert_nonnull(strstr(seen->str, "hello\r\n"));
		g_assert_nonnull(strstr(seen->str, "quit socemu"));
		g_string_free(seen, TRUE);
		break;
	}
	}

	struct termios after;
	g_assert_cmpint(tcgetattr(slave, &after), ==, 0);
	g_assert_true(termios_same(&after, &orig));
	close(ready[0]);
	close(go[1]);
	close(master);
	close(slave);
}

static void test_stdio_tty_close(void)
{
	run_tty(TTY_CLOSE);
}

static void test_stdio_tty_sigterm(void)
{
	run_tty(TTY_SIGTERM);
}

static void test_stdio_tty_atexit(void)
{
	run_tty(TTY_ATEXIT);
}

static void test_stdio_tty_escape(void)
{
	run_tty(TTY_ESCAPE);
}

/* Run fn in a child whose stdin is `in_fd` and stdout `out_fd`; return its wait status. */
static int run_child(int in_fd, int out_fd, int (*fn)(void))
{
	pid_t pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		alarm(10);
		dup2(in_fd, STDIN_FILENO);
		dup2(out_fd, STDOUT_FILENO);
		_exit(fn());
	}
	return reap(pid);
}

static int child_second_stdio(void)
{
	GMainContext *ctx = g_main_context_new();
	SocChardevHost host = { .ctx = ctx };
	GError *err = NULL;
	SocChardev *a = soc_chardev_open("stdio", &host, &err);
	if (!a)
		return 1;
	SocChardev *b = soc_chardev_open("stdio", &host, &err);
	if (b || !g_error_matches(err, SOC_ERROR, SOC_ERROR_USAGE) ||
	    !strstr(err->message, "chardev \"stdio\": ") || !strstr(err->message, "already"))
		return 2;
	g_clear_error(&err);
	soc_chardev_close(a);
	/* Closing releases it. */
	b = soc_chardev_open("stdio", &host, &err);
	if (!b)
		return 3;
	soc_chardev_close(b);
	g_main_context_unref(ctx);
	return 0;
}

static void test_stdio_second_refused(void)
{
	int devnull = open("/dev/null", O_RDWR);
	g_assert_cmpint(devnull, >=, 0);
	assert_exit_ok(run_child(devnull, devnull, child_second_stdio));
	close(devnull);
}

static const char pipe_input[] = "xyz\x01x\x03\n";

/* stdin a pipe: every byte is data (no escape), EOF is quiet, output goes to stdout. */
static int child_stdio_pipe(void)
{
	GMainContext *ctx = g_main_context_new();
	ChildState st = { false };
	SocChardevHost host = { ctx, child_quit, &st };
	SocChardev *c = soc_chardev_open("stdio", &host, NULL);
	if (!c)
		return 1;
	GByteArray *got = g_byte_array_new();
	soc_chardev_set_receiver(c, NULL, child_append, got);
	for (int i = 0; i < 1000 && got->len < sizeof pipe_input - 1; i++)
		g_main_context_iteration(ctx, TRUE);
	if (!drain(ctx))
		return 2;   /* the source kept firing after EOF */
	if (st.quit)
		return 3;
	if (got->len != sizeof pipe_input - 1 || memcmp(got->data, pipe_input, got->len))
		return 4;
	soc_chardev_set_line_prefix(c, "> ");
	soc_chardev_write(c, got->data, got->len);
	soc_chardev_close(c);
	g_byte_array_unref(got);
	g_main_context_unref(ctx);
	return 0;
}

static void test_stdio_pipe(void)
{
	int in[2], out[2];
	g_assert_cmpint(pipe(in), ==, 0);
	g_assert_cmpint(pipe(out), ==, 0);
	g_assert_cmpint(write(in[1], pipe_input, sizeof pipe_input - 1), ==,
	                (ssize_t)sizeof pipe_input - 1);
	close(in[1]);   /* the child sees the data, then EOF */
	assert_exit_ok(run_child(in[0], out[1], child_stdio_pipe));
	close(in[0]);
	close(out[1]);
	char buf[64];
	ssize_t n = read(out[0], buf, sizeof buf);
	g_assert_cmpmem(buf, n, "> xyz\x01x\x03\n", 9);
	close(out[0]);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* A client that goes away must not kill the test through SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	g_test_add_func("/chardev/null", test_null);
	g_test_add_func("/chardev/file/output", test_file_output);
	g_test_add_func("/chardev/file/comma-in-path", test_file_comma_path);
	g_test_add_func("/chardev/file/input-backpressure", test_file_input_backpressure);
	g_test_add_func("/chardev/file/input-no-receiver", test_file_input_no_receiver);
	g_test_add_func("/chardev/line-prefix", test_line_prefix);
	g_test_add_func("/chardev/unix/serve", test_unix);
	g_test_add_func("/chardev/unix/stale", test_unix_stale);
	g_test_add_func("/chardev/tcp/serve", test_tcp);
	g_test_add_func("/chardev/tcp/localhost", test_tcp_localhost);
	g_test_add_func("/chardev/tcp/non-loopback", test_tcp_non_loopback);
	g_test_add_func("/chardev/socket/wait", test_socket_wait);
	g_test_add_func("/chardev/socket/overflow", test_socket_overflow);
	g_test_add_func("/chardev/bad-specs", test_bad_specs);
	g_test_add_func("/chardev/help", test_help);
	g_test_add_func("/chardev/stdio/second-refused", test_stdio_second_refused);
	g_test_add_func("/chardev/stdio/pipe", test_stdio_pipe);
	g_test_add_func("/chardev/stdio/tty-close", test_stdio_tty_close);
	g_test_add_func("/chardev/stdio/tty-sigterm", test_stdio_tty_sigterm);
	g_test_add_func("/chardev/stdio/tty-atexit", test_stdio_tty_atexit);
	g_test_add_func("/chardev/stdio/tty-escape", test_stdio_tty_escape);
	return g_test_run();
}
