/* core/chardev.c — character backends: stdio, null, file, and Unix / TCP socket servers.
 *
 * One struct serves every backend; the kind decides where output goes and which fd feeds the
 * input ring. All host I/O is driven by fd sources on the machine's GMainContext, so the only
 * places where input reaches a device are those callbacks (between quanta, see chardev.h). */
#define _GNU_SOURCE 1   /* accept4, cfmakeraw */
#include "config.h"

#include "core/chardev.h"
#include "core/error.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

typedef enum {
	CHR_NULL,
	CHR_STDIO,
	CHR_STDOUT,     /* output only, to stdout: several consoles may share it (with prefixes) */
	CHR_FILE,
	CHR_UNIX,
	CHR_TCP,
} ChrKind;

/* An fd source whose condition can change: recreated when it does (GLib's fd sources keep
 * their condition for life). */
typedef struct {
	int fd;
	GIOCondition cond;
	GSource *src;
} ChrWatch;

struct SocChardev {
	ChrKind kind;
	char *spec;
	char *desc;
	GMainContext *ctx;
	void (*quit)(void *opaque);
	void *quit_opaque;

	SocChardevCanReceive can_receive;
	SocChardevReceive receive;
	void *rx_opaque;

	/* Host input not yet taken by the device: a ring. */
	uint8_t in_buf[SOC_CHARDEV_INPUT_MAX];
	size_t in_head, in_len;
	int in_fd;                 /* -1: no input (or no client) */
	bool in_owned;             /* in_fd is ours to close (file in=) */
	bool in_ended;             /* EOF or error: stop watching */
	ChrWatch in_watch;
	GSource *deliver_src;      /* scheduled by accept_input / set_receiver */
	bool delivering;           /* guards against a receive() that re-enters */

	int out_fd;                /* stdio, file */
	bool out_owned;
	bool out_broken;
	uint64_t dropped;
	char *prefix;
	bool at_line_start;

	bool tty;                  /* stdio on a raw tty: the escape is active */
	bool escape;               /* Ctrl-A seen, waiting for the command */

	int listen_fd;
	ChrWatch listen_watch;
	int client_fd;
	ChrWatch out_watch;
	GByteArray *out_q;         /* bytes for the client, from out_off on */
	size_t out_off;
	uint64_t dropped_episode;  /* dropped since the queue last filled up */
	bool wait;
	char *unix_path;           /* removed on close */
};

#define CHR_ESCAPE_CHAR 0x01   /* Ctrl-A */

/* Set when the stdio escape asked to quit, so that a ",wait" start-up stops waiting. */
static bool chr_quit_requested;

/* ---- errors and warnings ------------------------------------------------------------------ */

static void G_GNUC_PRINTF(4, 5)
chr_error(GError **err, SocErrorCode code, const char *spec, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(err, SOC_ERROR, code, "chardev \"%s\": %s", spec, msg);
	g_free(msg);
}

/* Host-side trouble the user should know about; stderr, never stdout (the guest's). */
static void G_GNUC_PRINTF(2, 3)
chr_warn(const SocChardev *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_printerr("socemu: warning: chardev %s: %s\n", c->desc ? c->desc : c->spec, msg);
	g_free(msg);
}

/* ---- fd watches ------------------------------------------------------------------------- */

static void watch_set(SocChardev *c, ChrWatch *w, int fd, GIOCondition cond, GUnixFDSourceFunc fn)
{
	if (fd < 0)
		cond = 0;
	if (w->src && w->fd == fd && w->cond == cond)
		return;
	if (w->src) {
		g_source_destroy(w->src);
		g_source_unref(w->src);
		w->src = NULL;
	}
	w->fd = fd;
	w->cond = cond;
	if (!cond)
		return;
	w->src = g_unix_fd_source_new(fd, cond);
	g_source_set_callback(w->src, G_SOURCE_FUNC(fn), c, NULL);
	g_source_attach(w->src, c->ctx);
}

static void watch_clear(SocChardev *c, ChrWatch *w)
{
	watch_set(c, w, -1, 0, NULL);
}

/* ---- input: ring, delivery, polling ------------------------------------------------------ */

static void ring_push(SocChardev *c, uint8_t b)
{
	/* Callers never read more than the free space; this only keeps a bug from writing past. */
	if (c->in_len >= SOC_CHARDEV_INPUT_MAX)
		return;
	c->in_buf[(c->in_head + c->in_len) % SOC_CHARDEV_INPUT_MAX] = b;
	c->in_len++;
}

static void deliver(SocChardev *c)
{
	if (c->delivering || !c->receive)
		return;
	c->delivering = true;
	while (c->in_len > 0 && c->receive) {
		size_t room = c->can_receive ? c->can_receive(c->rx_opaque) : c->in_len;
		if (room == 0)
			break;
		size_t chunk = MIN(c->in_len, SOC_CHARDEV_INPUT_MAX - c->in_head);
		chunk = MIN(chunk, room);
		const uint8_t *p = c->in_buf + c->in_head;
		/* Consume first: the bytes stay in place, since nothing is read from the host until
		 * this returns. */
		c->in_head = (c->in_head + chunk) % SOC_CHARDEV_INPUT_MAX;
		c->in_len -= chunk;
		if (c->in_len == 0)
			c->in_head = 0;
		c->receive(c->rx_opaque, p, chunk);
	}
	c->delivering = false;
}

static gboolean on_input(gint fd, GIOCondition cond, gpointer opaque);

static void input_update(SocChardev *c)
{
	bool want = c->in_fd >= 0 && !c->in_ended && c->in_len < SOC_CHARDEV_INPUT_MAX;
	watch_set(c, &c->in_watch, c->in_fd, want ? G_IO_IN : 0, on_input);
}

static gboolean on_deliver(gpointer opaque)
{
	SocChardev *c = opaque;
	g_source_unref(c->deliver_src);
	c->deliver_src = NULL;
	deliver(c);
	input_update(c);
	return G_SOURCE_REMOVE;
}

static void schedule_delivery(SocChardev *c)
{
	if (c->deliver_src || c->in_len == 0 || !c->receive)
		return;
	/* Ready at once: a context that is blocked waiting for input wakes up too. */
	c->deliver_src = g_idle_source_new();
	g_source_set_priority(c->deliver_src, G_PRIORITY_DEFAULT);
	g_source_set_callback(c->deliver_src, on_deliver, c, NULL);
	g_source_attach(c->deliver_src, c->ctx);
}

static void client_disconnect(SocChardev *c);

static void stdio_help(void)
{
	static const char help[] =
		"\nsocemu console escapes (Ctrl-A, then):\n"
		"  x         quit socemu\n"
		"  h or ?    this help\n"
		"  Ctrl-A    send Ctrl-A to the guest\n"
		"Any other key after Ctrl-A is ignored. Ctrl-C goes to the guest.\n";
	g_printerr("%s", help);
}

static void stdio_filter(SocChardev *c, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t b = p[i];
		if (!c->escape) {
			if (b == CHR_ESCAPE_CHAR)
				c->escape = true;
			else
				ring_push(c, b);
			continue;
		}
		c->escape = false;
		switch (b) {
		case CHR_ESCAPE_CHAR:
			ring_push(c, b);
			break;
		case 'x':
		case 'X':
			chr_quit_requested = true;
			if (c->quit)
				c->quit(c->quit_opaque);
			break;
		case 'h':
		case 'H':
		case '?':
			stdio_help();
			break;
		default:
			break;
		}
	}
}

static gboolean on_input(gint fd, GIOCondition cond, gpointer opaque)
{
	SocChardev *c = opaque;
	uint8_t tmp[SOC_CHARDEV_INPUT_MAX];
	size_t space = SOC_CHARDEV_INPUT_MAX - c->in_len;

	if (space > 0) {
		/* One read per wake-up: stdin stays blocking (its flags are shared with the shell),
		 * and a readable fd does not block for one read. */
		ssize_t n = read(fd, tmp, space);
		if (n > 0) {
			if (c->tty)
				stdio_filter(c, tmp, (size_t)n);
			else
				for (ssize_t i = 0; i < n; i++)
					ring_push(c, tmp[i]);
		} else if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
			return G_SOURCE_CONTINUE;
		} else if (c->kind == CHR_UNIX || c->kind == CHR_TCP) {
			client_disconnect(c);
		} else {
			/* End of input is not an error: the guest simply gets no more bytes. */
			if (n < 0)
				chr_warn(c, "input: %s", g_strerror(errno));
			c->in_ended = true;
		}
	}
	deliver(c);
	input_update(c);
	return G_SOURCE_CONTINUE;
}

/* ---- output ----------------------------------------------------------------------------- */

static void fd_write_all(SocChardev *c, const uint8_t *p, size_t n)
{
	if (c->out_broken) {
		c->dropped += n;
		return;
	}
	while (n > 0) {
		ssize_t w = write(c->out_fd, p, n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			/* Someone made the fd non-blocking: wait for room rather than lose output. */
			struct pollfd pfd = { .fd = c->out_fd, .events = POLLOUT };
			(void)poll(&pfd, 1, -1);
			continue;
		}
		chr_warn(c, "output failed (%s); further output is dropped",
		         w < 0 ? g_strerror(errno) : "nothing written");
		c->out_broken = true;
		c->dropped += n;
		return;
	}
}

static gboolean on_client_writable(gint fd, GIOCondition cond, gpointer opaque);

static void out_update(SocChardev *c)
{
	bool want = c->out_q->len > c->out_off;
	watch_set(c, &c->out_watch, c->client_fd, want ? G_IO_OUT : 0, on_client_writable);
}

/* Send what the socket takes now. False when the client is gone (and has been disconnected). */
static bool client_send(SocChardev *c, const uint8_t *p, size_t n, size_t *sent)
{
	*sent = 0;
	while (*sent < n) {
		ssize_t w = send(c->client_fd, p + *sent, n - *sent, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w > 0) {
			*sent += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		client_disconnect(c);
		return false;
	}
	return true;
}

static void out_queue_reset(SocChardev *c)
{
	g_byte_array_set_size(c->out_q, 0);
	c->out_off = 0;
	if (c->dropped_episode) {
		chr_warn(c, "%" G_GUINT64_FORMAT " bytes of output were dropped", c->dropped_episode);
		c->dropped_episode = 0;
	}
}

static void client_flush(SocChardev *c)
{
	size_t sent;
	if (!client_send(c, c->out_q->data + c->out_off, c->out_q->len - c->out_off, &sent))
		return;
	c->out_off += sent;
	if (c->out_off == c->out_q->len)
		out_queue_reset(c);
	out_update(c);
}

static gboolean on_client_writable(gint fd, GIOCondition cond, gpointer opaque)
{
	client_flush(opaque);
	return G_SOURCE_CONTINUE;
}

static void socket_write(SocChardev *c, const uint8_t *p, size_t n)
{
	if (c->client_fd < 0)
		return;   /* nobody listening: like an unconnected line */
	if (c->out_q->len == c->out_off) {
		size_t sent;
		if (!client_send(c, p, n, &sent))
			return;
		p += sent;
		n -= sent;
		if (n == 0)
			return;
	}
	if (c->out_off > 0 && c->out_off >= c->out_q->len / 2) {
		g_byte_array_remove_range(c->out_q, 0, (guint)c->out_off);
		c->out_off = 0;
	}
	size_t queued = c->out_q->len - c->out_off;
	size_t take = MIN(n, SOC_CHARDEV_OUTPUT_MAX - queued);
	if (take < n) {
		if (c->dropped_episode == 0)
			chr_warn(c, "the client is not reading; %u bytes are queued, dropping output",
			         SOC_CHARDEV_OUTPUT_MAX);
		c->dropped += n - take;
		c->dropped_episode += n - take;
	}
	g_byte_array_append(c->out_q, p, (guint)take);
	out_update(c);
}

static void write_raw(SocChardev *c, const uint8_t *p, size_t n)
{
	switch (c->kind) {
	case CHR_NULL:
		break;
	case CHR_STDIO:
	case CHR_STDOUT:
	case CHR_FILE:
		fd_write_all(c, p, n);
		break;
	case CHR_UNIX:
	case CHR_TCP:
		socket_write(c, p, n);
		break;
	}
}

/* ---- socket server ----------------------------------------------------------------------- */

static void client_disconnect(SocChardev *c)
{
	if (c->client_fd < 0)
		return;
	watch_clear(c, &c->in_watch);
	watch_clear(c, &c->out_watch);
	close(c->client_fd);
	c->client_fd = -1;
	c->in_fd = -1;
	/* Output for a client that left has nowhere to go; input it sent is kept for the guest. */
	out_queue_reset(c);
}

static gboolean on_accept(gint fd, GIOCondition cond, gpointer opaque)
{
	SocChardev *c = opaque;
	int nfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (nfd < 0) {
		if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED) {
			/* Out of fds or similar: stop listening rather than spin on a ready socket. */
			chr_warn(c, "accept: %s; no longer listening", g_strerror(errno));
			watch_clear(c, &c->listen_watch);
		}
		return G_SOURCE_CONTINUE;
	}
	if (c->client_fd >= 0) {
		close(nfd);   /* one client at a time: the newcomer sees the connection closed */
		return G_SOURCE_CONTINUE;
	}
	if (c->kind == CHR_TCP) {
		int one = 1;
		(void)setsockopt(nfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	}
	c->client_fd = nfd;
	c->in_fd = nfd;
	c->in_ended = false;
	input_update(c);
	return G_SOURCE_CONTINUE;
}

static bool listen_on(SocChardev *c, int fd, GError **err)
{
	if (listen(fd, 4) != 0) {
		chr_error(err, SOC_ERROR_IO, c->spec, "listen: %s", g_strerror(errno));
		close(fd);
		return false;
	}
	c->listen_fd = fd;
	watch_set(c, &c->listen_watch, fd, G_IO_IN, on_accept);
	return true;
}

static bool open_unix(SocChardev *c, const char *path, GError **err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (!*path) {
		chr_error(err, SOC_ERROR_USAGE, c->spec, "missing socket path");
		return false;
	}
	if (strlen(path) >= sizeof sa.sun_path) {
		chr_error(err, SOC_ERROR_USAGE, c->spec, "socket path %s is longer than %zu bytes", path,
		          sizeof sa.sun_path - 1);
		return false;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);

	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			chr_error(err, SOC_ERROR_IO, c->spec, "%s exists and is not a socket", path);
			return false;
		}
		/* A socket nobody listens on is left over from an earlier run: replace it. One that
		 * answers belongs to someone else. */
		int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (probe < 0) {
			chr_error(err, SOC_ERROR_IO, c->spec, "socket: %s", g_strerror(errno));
			return false;
		}
		int r = connect(probe, (struct sockaddr *)&sa, sizeof sa);
		int e = errno;
		close(probe);
		if (r == 0 || e != ECONNREFUSED) {
			chr_error(err, SOC_ERROR_IO, c->spec, "%s is in use by another program", path);
			return false;
		}
		(void)unlink(path);
	}

	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		chr_error(err, SOC_ERROR_IO, c->spec, "socket: %s", g_strerror(errno));
		return false;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		chr_error(err, SOC_ERROR_IO, c->spec, "cannot bind %s: %s", path, g_strerror(errno));
		close(fd);
		return false;
	}
	c->unix_path = g_strdup(path);
	if (!listen_on(c, fd, err))
		return false;
	c->desc = g_strdup_printf("unix:%s", path);
	return true;
}

static bool parse_port(const char *s, unsigned *port)
{
	if (!*s || strlen(s) > 5)
		return false;
	unsigned v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (v > 65535)
		return false;
	*port = v;
	return true;
}

static bool open_tcp(SocChardev *c, const char *arg, GError **err)
{
	const char *colon = strrchr(arg, ':');
	if (!colon) {
		chr_error(err, SOC_ERROR_USAGE, c->spec, "expected tcp:HOST:PORT");
		return false;
	}
	char *host = g_strndup(arg, (size_t)(colon - arg));
	const char *port_s = colon + 1;
	unsigned port;
	bool ok = false;
	int fd = -1;

	if (!parse_port(port_s, &port)) {
		chr_error(err, SOC_ERROR_USAGE, c->spec, "port \"%s\" is not a number from 0 to 65535",
		          port_s);
		goto out;
	}
	/* "[::1]" is the usual way to write an IPv6 host before a port. */
	size_t hl = strlen(host);
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}

	struct sockaddr_storage ss;
	socklen_t sslen;
	memset(&ss, 0, sizeof ss);
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	/* No name resolution: only the names that mean loopback by definition. */
	const char *addr = (!*host || !g_ascii_strcasecmp(host, "localhost")) ? "127.0.0.1" : host;
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		if ((ntohl(s4->sin_addr.s_addr) >> 24) != 127)
			goto not_loopback;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		sslen = sizeof *s4;
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		if (!IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr))
			goto not_loopback;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		sslen = sizeof *s6;
	} else {
		goto not_loopback;
	}

	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		chr_error(err, SOC_ERROR_IO, c->spec, "socket: %s", g_strerror(errno));
		goto out;
	}
	int one = 1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, sslen) != 0) {
		chr_error(err, SOC_ERROR_IO, c->spec, "cannot bind %s port %u: %s", addr, port,
		          g_strerror(errno));
		close(fd);
		goto out;
	}
	sslen = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &sslen) != 0) {
		chr_error(err, SOC_ERROR_IO, c->spec, "getsockname: %s", g_strerror(errno));
		close(fd);
		goto out;
	}
	if (!listen_on(c, fd, err))
		goto out;
	char text[INET6_ADDRSTRLEN];
	if (ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof text);
		c->desc = g_strdup_printf("tcp:[%s]:%u", text, ntohs(s6->sin6_port));
	} else {
		inet_ntop(AF_INET, &s4->sin_addr, text, sizeof text);
		c->desc = g_strdup_printf("tcp:%s:%u", text, ntohs(s4->sin_port));
	}
	ok = true;
	goto out;

not_loopback:
	chr_error(err, SOC_ERROR_USAGE, c->spec,
	          "host \"%s\" is not a loopback address (the server listens on 127.0.0.1, ::1 or "
	          "localhost only)", host);
out:
	g_free(host);
	return ok;
}

/* ---- stdio and the tty ------------------------------------------------------------------- */

/* The terminal state is per process, hence one stdio backend per process. Everything the
 * signal handler reads is set before the handler is installed. */
static bool stdio_in_use;
static struct termios stdio_saved_tio;
static volatile sig_atomic_t stdio_raw_active;
static bool stdio_atexit_registered;
static const int stdio_fatal_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define STDIO_N_SIGNALS G_N_ELEMENTS(stdio_fatal_signals)
static struct sigaction stdio_old_actions[STDIO_N_SIGNALS];
static bool stdio_handled[STDIO_N_SIGNALS];

/* Async-signal-safe: tcsetattr, sigaction, sigprocmask and raise only. */
static void stdio_restore_tty_now(void)
{
	if (stdio_raw_active) {
		stdio_raw_active = 0;
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &stdio_saved_tio);
	}
}

static void stdio_on_fatal_signal(int sig)
{
	stdio_restore_tty_now();
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	(void)sigaction(sig, &dfl, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	(void)sigprocmask(SIG_UNBLOCK, &set, NULL);
	(void)raise(sig);
}

static void stdio_atexit(void)
{
	stdio_restore_tty_now();
}

static void stdio_uninstall_handlers(void)
{
	for (size_t i = 0; i < STDIO_N_SIGNALS; i++) {
		if (stdio_handled[i])
			(void)sigaction(stdio_fatal_signals[i], &stdio_old_actions[i], NULL);
		stdio_handled[i] = false;
	}
}

static void stdio_install_handlers(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = stdio_on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < STDIO_N_SIGNALS; i++) {
		struct sigaction old;
		if (sigaction(stdio_fatal_signals[i], NULL, &old) != 0)
			continue;
		/* A signal the user chose to ignore (nohup) stays ignored. */
		if (!(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN)
			continue;
		stdio_old_actions[i] = old;
		if (sigaction(stdio_fatal_signals[i], &sa, NULL) == 0)
			stdio_handled[i] = true;
	}
}

static bool stdio_enter_raw(void)
{
	if (tcgetattr(STDIN_FILENO, &stdio_saved_tio) != 0)
		return false;
	struct termios raw = stdio_saved_tio;
	cfmakeraw(&raw);
	/* Keep output processing, so that a guest's "\n" still starts a new line. */
	raw.c_oflag = stdio_saved_tio.c_oflag;
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (!stdio_atexit_registered)
		stdio_atexit_registered = atexit(stdio_atexit) == 0;
	stdio_install_handlers();
	stdio_raw_active = 1;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) != 0) {
		stdio_raw_active = 0;
		stdio_uninstall_handlers();
		return false;
	}
	return true;
}

static void stdio_leave_raw(void)
{
	if (stdio_raw_active) {
		stdio_raw_active = 0;
		/* Let pending guest output reach the terminal in the mode it was written for. */
		(void)tcsetattr(STDIN_FILENO, TCSADRAIN, &stdio_saved_tio);
	}
	stdio_uninstall_handlers();
}

static bool open_stdio(SocChardev *c, GError **err)
{
	if (stdio_in_use) {
		chr_error(err, SOC_ERROR_USAGE, c->spec,
		          "stdio is already used by another backend (only one per process)");
		return false;
	}
	stdio_in_use = true;
	c->out_fd = STDOUT_FILENO;
	c->in_fd = STDIN_FILENO;
	if (isatty(STDIN_FILENO))
		c->tty = stdio_enter_raw();
	c->desc = g_strdup("stdio");
	return true;
}

/* ---- file ------------------------------------------------------------------------------- */

static bool open_file(SocChardev *c, const char *path, const char *in_path, GError **err)
{
	if (!*path) {
		chr_error(err, SOC_ERROR_USAGE, c->spec, "missing file path");
		return false;
	}
	/* Input first, so that a bad input path does not truncate the output file. */
	if (in_path) {
		if (!*in_path) {
			chr_error(err, SOC_ERROR_USAGE, c->spec, "missing input path after in=");
			return false;
		}
		c->in_fd = open(in_path, O_RDONLY | O_CLOEXEC);
		if (c->in_fd < 0) {
			chr_error(err, SOC_ERROR_IO, c->spec, "cannot open %s for reading: %s", in_path,
			          g_strerror(errno));
			return false;
		}
		c->in_owned = true;
	}
	c->out_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (c->out_fd < 0) {
		chr_error(err, SOC_ERROR_IO, c->spec, "cannot open %s for writing: %s", path,
		          g_strerror(errno));
		return false;
	}
	c->out_owned = true;
	c->desc = in_path ? g_strdup_printf("file:%s,in=%s", path, in_path)
	                  : g_strdup_printf("file:%s", path);
	return true;
}

/* ---- spec parsing ------------------------------------------------------------------------ */

typedef struct {
	char *name;
	char *arg;          /* after ':', NULL when absent */
	GPtrArray *opts;    /* char*, "key" or "key=value" */
} ChrSpec;

static void spec_clear(ChrSpec *s)
{
	g_free(s->name);
	g_free(s->arg);
	if (s->opts)
		g_ptr_array_unref(s->opts);
}

/* One field up to a single ','; ",," stands for a literal comma. */
static char *spec_field(const char **pp)
{
	GString *f = g_string_new(NULL);
	const char *p = *pp;
	while (*p) {
		if (*p == ',') {
			if (p[1] != ',')
				break;
			p++;
		}
		g_string_append_c(f, *p++);
	}
	*pp = p;
	return g_string_free(f, FALSE);
}

static bool spec_parse(const char *spec, ChrSpec *s, GError **err)
{
	memset(s, 0, sizeof *s);
	size_t n = strcspn(spec, ":,");
	s->name = g_strndup(spec, n);
	const char *p = spec + n;
	if (*p == ':') {
		p++;
		s->arg = spec_field(&p);
	}
	s->opts = g_ptr_array_new_with_free_func(g_free);
	while (*p == ',') {
		p++;
		char *o = spec_field(&p);
		if (!*o) {
			g_free(o);
			chr_error(err, SOC_ERROR_USAGE, spec, "empty option");
			return false;
		}
		g_ptr_array_add(s->opts, o);
	}
	if (!*s->name) {
		chr_error(err, SOC_ERROR_USAGE, spec, "missing backend name (see -serial help)");
		return false;
	}
	return true;
}

/* The value of option `key` ("" for a bare "key"), NULL when absent. Unknown or repeated
 * options are errors. */
static bool spec_options(const ChrSpec *s, const char *spec, const char *const *known,
                         const char **values, GError **err)
{
	for (guint i = 0; i < s->opts->len; i++) {
		const char *o = g_ptr_array_index(s->opts, i);
		size_t kl = strcspn(o, "=");
		size_t k;
		for (k = 0; known[k]; k++)
			if (strlen(known[k]) == kl && !strncmp(known[k], o, kl))
				break;
		if (!known[k]) {
			chr_error(err, SOC_ERROR_USAGE, spec, "unknown option \"%.*s\" for %s", (int)kl, o,
			          s->name);
			return false;
		}
		if (values[k]) {
			chr_error(err, SOC_ERROR_USAGE, spec, "option \"%s\" given twice", known[k]);
			return false;
		}
		values[k] = o[kl] ? o + kl + 1 : "";
	}
	return true;
}

static bool open_backend(SocChardev *c, const ChrSpec *s, GError **err)
{
	static const char *const no_opts[] = { NULL };
	static const char *const file_opts[] = { "in", NULL };
	static const char *const socket_opts[] = { "wait", NULL };
	const char *values[2] = { NULL, NULL };
	bool needs_arg;

	if (!strcmp(s->name, "null")) {
		c->kind = CHR_NULL;
		needs_arg = false;
	} else if (!strcmp(s->name, "stdio")) {
		c->kind = CHR_STDIO;
		needs_arg = false;
	} else if (!strcmp(s->name, "stdout")) {
		c->kind = CHR_STDOUT;
		needs_arg = false;
	} else if (!strcmp(s->name, "file")) {
		c->kind = CHR_FILE;
		needs_arg = true;
	} else if (!strcmp(s->name, "unix")) {
		c->kind = CHR_UNIX;
		needs_arg = true;
	} else if (!strcmp(s->name, "tcp")) {
		c->kind = CHR_TCP;
		needs_arg = true;
	} else {
		chr_error(err, SOC_ERROR_USAGE, c->spec,
		          "unknown backend \"%s\" (stdio, stdout, null, file:PATH, unix:PATH, tcp:HOST:PORT)",
		          s->name);
		return false;
	}
	if (!needs_arg && s->arg) {
		chr_error(err, SOC_ERROR_USAGE, c->spec, "%s takes no argument", s->name);
		return false;
	}
	if (needs_arg && (!s->arg || !*s->arg)) {
		chr_error(err, SOC_ERROR_USAGE, c->spec, "%s needs %s", s->name,
		          c->kind == CHR_TCP ? "HOST:PORT" : "a path");
		return false;
	}

	switch (c->kind) {
	case CHR_NULL:
		if (!spec_options(s, c->spec, no_opts, values, err))
			return false;
		c->desc = g_strdup("null");
		return true;
	case CHR_STDIO:
		if (!spec_options(s, c->spec, no_opts, values, err))
			return false;
		return open_stdio(c, err);
	case CHR_STDOUT:
		if (!spec_options(s, c->spec, no_opts, values, err))
			return false;
		c->out_fd = STDOUT_FILENO;
		c->desc = g_strdup("stdout");
		return true;
	case CHR_FILE:
		if (!spec_options(s, c->spec, file_opts, values, err))
			return false;
		return open_file(c, s->arg, values[0], err);
	case CHR_UNIX:
	case CHR_TCP:
		if (!spec_options(s, c->spec, socket_opts, values, err))
			return false;
		if (values[0] && *values[0]) {
			chr_error(err, SOC_ERROR_USAGE, c->spec, "option \"wait\" takes no value");
			return false;
		}
		c->wait = values[0] != NULL;
		c->out_q = g_byte_array_new();
		return c->kind == CHR_UNIX ? open_unix(c, s->arg, err) : open_tcp(c, s->arg, err);
	}
	return false;
}

/* ---- public API -------------------------------------------------------------------------- */

SocChardev *soc_chardev_open(const char *spec, const SocChardevHost *host, GError **err)
{
	g_return_val_if_fail(spec != NULL, NULL);
	SocChardev *c = g_new0(SocChardev, 1);
	c->spec = g_strdup(spec);
	c->ctx = g_main_context_ref(host && host->ctx ? host->ctx : g_main_context_default());
	c->quit = host ? host->quit : NULL;
	c->quit_opaque = host ? host->opaque : NULL;
	c->in_fd = c->out_fd = c->listen_fd = c->client_fd = -1;
	c->in_watch.fd = c->out_watch.fd = c->listen_watch.fd = -1;
	c->at_line_start = true;

	ChrSpec s;
	bool ok = spec_parse(spec, &s, err) && open_backend(c, &s, err);
	spec_clear(&s);
	if (!ok) {
		soc_chardev_close(c);
		return NULL;
	}
	input_update(c);
	return c;
}

bool soc_chardev_wait_for_client(SocChardev *c, GError **err)
{
	if (!c->wait)
		return true;
	while (c->client_fd < 0) {
		if (chr_quit_requested) {
			chr_error(err, SOC_ERROR_FAILED, c->spec, "quit while waiting for a client on %s",
			          c->desc);
			return false;
		}
		g_main_context_iteration(c->ctx, TRUE);
	}
	return true;
}

/* A last, bounded chance for queued socket output: a client that does not read for a second
 * loses the rest. */
static void client_final_flush(SocChardev *c)
{
	while (c->client_fd >= 0 && c->out_q->len > c->out_off) {
		struct pollfd pfd = { .fd = c->client_fd, .events = POLLOUT };
		int r = poll(&pfd, 1, 1000);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			c->dropped += c->out_q->len - c->out_off;
			c->dropped_episode += c->out_q->len - c->out_off;
			break;
		}
		client_flush(c);
	}
}

void soc_chardev_close(SocChardev *c)
{
	if (!c)
		return;
	if (c->out_q)
		client_final_flush(c);
	client_disconnect(c);
	watch_clear(c, &c->in_watch);
	watch_clear(c, &c->out_watch);
	watch_clear(c, &c->listen_watch);
	if (c->deliver_src) {
		g_source_destroy(c->deliver_src);
		g_source_unref(c->deliver_src);
	}
	if (c->listen_fd >= 0)
		close(c->listen_fd);
	if (c->unix_path)
		(void)unlink(c->unix_path);
	if (c->in_owned && c->in_fd >= 0)
		close(c->in_fd);
	if (c->out_owned && c->out_fd >= 0)
		close(c->out_fd);
	if (c->kind == CHR_STDIO && c->desc) {
		/* desc is set only once the stdio backend really opened. */
		stdio_leave_raw();
		stdio_in_use = false;
	}
	if (c->out_q)
		g_byte_array_unref(c->out_q);
	g_main_context_unref(c->ctx);
	g_free(c->unix_path);
	g_free(c->prefix);
	g_free(c->desc);
	g_free(c->spec);
	g_free(c);
}

void soc_chardev_write(SocChardev *c, const uint8_t *buf, size_t len)
{
	if (!c || len == 0)
		return;
	if (!c->prefix) {
		write_raw(c, buf, len);
		return;
	}
	size_t i = 0;
	while (i < len) {
		if (c->at_line_start) {
			write_raw(c, (const uint8_t *)c->prefix, strlen(c->prefix));
			c->at_line_start = false;
		}
		const uint8_t *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) + 1 : len;
		write_raw(c, buf + i, end - i);
		if (nl)
			c->at_line_start = true;
		i = end;
	}
}

void soc_chardev_set_receiver(SocChardev *c, SocChardevCanReceive can_receive,
                              SocChardevReceive receive, void *opaque)
{
	c->can_receive = can_receive;
	c->receive = receive;
	c->rx_opaque = opaque;
	schedule_delivery(c);
}

void soc_chardev_accept_input(SocChardev *c)
{
	if (c)
		schedule_delivery(c);
}

bool soc_chardev_has_pending_input(const SocChardev *c)
{
	return c->in_len > 0;
}

bool soc_chardev_input_possible(const SocChardev *c)
{
	/* Bytes count only if the device can take one now: a full receive FIFO of a sleeping
	 * guest will never drain, however much more is waiting. */
	if (!c->receive || (c->can_receive && c->can_receive(c->rx_opaque) == 0))
		return false;
	if (c->in_len > 0)
		return true;
	/* A socket may get a (new) client at any time; anything else, until its input ends. */
	if (c->kind == CHR_UNIX || c->kind == CHR_TCP)
		return true;
	return c->in_fd >= 0 && !c->in_ended;
}

const char *soc_chardev_describe(const SocChardev *c)
{
	return c->desc;
}

bool soc_chardev_is_connected(const SocChardev *c)
{
	if (c->kind == CHR_UNIX || c->kind == CHR_TCP)
		return c->client_fd >= 0;
	return true;
}

uint64_t soc_chardev_dropped_bytes(const SocChardev *c)
{
	return c->dropped;
}

void soc_chardev_set_line_prefix(SocChardev *c, const char *prefix)
{
	g_free(c->prefix);
	c->prefix = prefix && *prefix ? g_strdup(prefix) : NULL;
}

const char *soc_chardev_help(void)
{
	return
		"Character backends (for a UART's console):\n"
		"  stdio                  standard output and input; on a terminal the input is raw:\n"
		"                         Ctrl-C goes to the guest, Ctrl-A x quits, Ctrl-A h helps\n"
		"  stdout                 standard output only; several consoles may share it\n"
		"  null                   output discarded, no input\n"
		"  file:PATH[,in=INPATH]  output written to PATH (truncated); input read from INPATH\n"
		"  unix:PATH[,wait]       server on a Unix socket, one client at a time\n"
		"  tcp:HOST:PORT[,wait]   server on 127.0.0.1, ::1 or localhost; port 0 picks one\n"
		"  ,wait                  start only once a client has connected\n"
		"Sockets drop output while no client is connected. Write ',' in a path as ',,'.\n";
}
