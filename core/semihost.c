/* core/semihost.c — Arm-style semihosting for every CPU family (see semihost.h). */
#include "core/semihost.h"
#include "core/log.h"
#include "core/machine.h"
#include "core/memory.h"
#include "cpus/cpu.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_HANDLES 64
#define MAX_PATH_BYTES 4096
#define TICK_HZ 1000000u            /* SYS_ELAPSED counts virtual microseconds */

typedef enum { H_FREE, H_FILE, H_TT_IN, H_TT_OUT, H_TT_ERR, H_FEATURES } HandleKind;

typedef struct {
	HandleKind kind;
	int fd;
	unsigned pos;                   /* H_FEATURES: read position */
} Handle;

struct SocSemihost {
	char *root;                     /* real path of the root, NULL: no file access */
	char *cmdline;
	uint64_t epoch;
	int out_fd, err_fd, in_fd;
	int last_errno;
	Handle handles[MAX_HANDLES];
	bool exited;
	int exit_status;
	bool prefixes;
	GHashTable *lines;              /* cluster name -> GString: its unfinished console line */
};

/* The feature file: magic "SHFB" and one byte: EXIT_EXTENDED and separate stdout/stderr. */
static const uint8_t features[] = { 'S', 'H', 'F', 'B', 0x03 };

static void flush_lines(SocSemihost *sh);

static void string_free(gpointer p)
{
	g_string_free(p, TRUE);
}

SocSemihost *soc_semihost_new(const SocSemihostConfig *cfg)
{
	SocSemihost *sh = g_new0(SocSemihost, 1);
	if (cfg->root) {
		char *real = realpath(cfg->root, NULL);
		sh->root = real ? g_strdup(real) : NULL;
		free(real);
	}
	sh->cmdline = g_strdup(cfg->cmdline ? cfg->cmdline : "");
	sh->epoch = cfg->epoch;
	sh->out_fd = cfg->stdout_fd;
	sh->err_fd = cfg->stderr_fd;
	sh->in_fd = cfg->stdin_fd;
	sh->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, string_free);
	return sh;
}

void soc_semihost_free(SocSemihost *sh)
{
	if (!sh)
		return;
	for (unsigned i = 0; i < MAX_HANDLES; i++)
		if (sh->handles[i].kind == H_FILE)
			close(sh->handles[i].fd);
	flush_lines(sh);
	g_hash_table_destroy(sh->lines);
	g_free(sh->root);
	g_free(sh->cmdline);
	g_free(sh);
}

bool soc_semihost_exited(const SocSemihost *sh, int *status)
{
	if (sh->exited && status)
		*status = sh->exit_status;
	return sh->exited;
}

static void guest_error(SocCpu *cpu, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void guest_error(SocCpu *cpu, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *msg = NULL;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	soc_log_guest_error(cpu->log, "%s: pc 0x%" G_GINT64_MODIFIER "x: semihosting: %s", cpu->path,
	                    cpu->cls && cpu->cls->get_pc ? cpu->cls->get_pc(cpu) : 0, msg);
}

static bool read_word(SocCpu *cpu, unsigned wb, uint64_t addr, uint64_t *out)
{
	uint64_t v = 0;
	if (!soc_as_read_bytes(cpu->as, addr, &v, wb, NULL)) {
		guest_error(cpu, "parameter block at 0x%" G_GINT64_MODIFIER "x is not in memory", addr);
		return false;
	}
	*out = v;
	return true;
}

static bool read_args(SocCpu *cpu, unsigned wb, uint64_t addr, uint64_t *args, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (!read_word(cpu, wb, addr + (uint64_t)i * wb, &args[i]))
			return false;
	return true;
}

static char *read_string(SocCpu *cpu, uint64_t addr, uint64_t len)
{
	char *s;
	if (len > MAX_PATH_BYTES) {
		guest_error(cpu, "string of %" G_GUINT64_FORMAT " bytes is too long", len);
		return NULL;
	}
	s = g_malloc0(len + 1);
	if (!soc_as_read_bytes(cpu->as, addr, s, len, NULL)) {
		guest_error(cpu, "string at 0x%" G_GINT64_MODIFIER "x is not in memory", addr);
		g_free(s);
		return NULL;
	}
	if (memchr(s, '\0', len)) {
		guest_error(cpu, "string at 0x%" G_GINT64_MODIFIER "x holds a NUL byte", addr);
		g_free(s);
		return NULL;
	}
	return s;
}

static void write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

void soc_semihost_set_cluster_prefixes(SocSemihost *sh, bool on)
{
	sh->prefixes = on;
}

/* Console output of a cpu. With prefixes on, each cluster's output is collected a line at a
 * time and written whole, "[cluster] " first: clusters interleave by lines, never inside one
 * (picolibc writes a character per call). Partial lines are written at the end of the run. */
static void console_write(SocSemihost *sh, SocCpu *cpu, int fd, const void *buf, size_t len)
{
	const char *p = buf, *end = p + len;
	const char *name = cpu->cluster ? cpu->cluster : "?";
	GString *line;

	if (!sh->prefixes) {
		write_all(fd, buf, len);
		return;
	}
	line = g_hash_table_lookup(sh->lines, name);
	if (!line) {
		line = g_string_new(NULL);
		g_hash_table_insert(sh->lines, g_strdup(name), line);
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl + 1 : end;
		if (line->len == 0)
			g_string_append_printf(line, "[%s] ", name);
		g_string_append_len(line, p, stop - p);
		if (nl || line->len >= 4096) {
			write_all(fd, line->str, line->len);
			g_string_truncate(line, 0);
		}
		p = stop;
	}
}

void soc_semihost_flush(SocSemihost *sh)
{
	flush_lines(sh);
}

static void flush_lines(SocSemihost *sh)
{
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, sh->lines);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		GString *line = value;
		if (line->len) {
			g_string_append_c(line, '\n');
			write_all(sh->out_fd, line->str, line->len);
			g_string_truncate(line, 0);
		}
	}
}

/* Inside the root: relative, no ".." component, and no symbolic link leading outside. */
static char *host_path(SocSemihost *sh, SocCpu *cpu, const char *guest)
{
	g_auto(GStrv) parts = NULL;
	g_autofree char *joined = NULL, *dir = NULL;
	char *real_dir;
	bool inside;

	if (!sh->root) {
		guest_error(cpu, "file access to '%s' refused: no -semihosting-root given", guest);
		sh->last_errno = EACCES;
		return NULL;
	}
	if (guest[0] == '/' || guest[0] == '\0') {
		guest_error(cpu, "file access to '%s' refused: only paths relative to the root", guest);
		sh->last_errno = EACCES;
		return NULL;
	}
	parts = g_strsplit(guest, "/", -1);
	for (char **p = parts; *p; p++) {
		if (!strcmp(*p, "..")) {
			guest_error(cpu, "file access to '%s' refused: '..' leaves the root", guest);
			sh->last_errno = EACCES;
			return NULL;
		}
	}
	joined = g_build_filename(sh->root, guest, NULL);
	dir = g_path_get_dirname(joined);
	real_dir = realpath(dir, NULL);
	inside = real_dir && (g_str_has_prefix(real_dir, sh->root) &&
	                      (real_dir[strlen(sh->root)] == '\0' || real_dir[strlen(sh->root)] == '/'));
	if (inside && g_file_test(joined, G_FILE_TEST_IS_SYMLINK)) {
		char *real_file = realpath(joined, NULL);
		inside = real_file && g_str_has_prefix(real_file, sh->root) &&
		         (real_file[strlen(sh->root)] == '\0' || real_file[strlen(sh->root)] == '/');
		free(real_file);
	}
	free(real_dir);
	if (!inside) {
		guest_error(cpu, "file access to '%s' refused: it leads outside the root", guest);
		sh->last_errno = real_dir ? EACCES : ENOENT;
		return NULL;
	}
	return g_steal_pointer(&joined);
}

static int new_handle(SocSemihost *sh, HandleKind kind, int fd)
{
	for (unsigned i = 0; i < MAX_HANDLES; i++) {
		if (sh->handles[i].kind == H_FREE) {
			sh->handles[i] = (Handle){ kind, fd, 0 };
			return (int)i + 1;
		}
	}
	sh->last_errno = EMFILE;
	return -1;
}

static Handle *get_handle(SocSemihost *sh, SocCpu *cpu, uint64_t h)
{
	if (h == 0 || h > MAX_HANDLES || sh->handles[h - 1].kind == H_FREE) {
		guest_error(cpu, "bad handle %" G_GUINT64_FORMAT, h);
		sh->last_errno = EBADF;
		return NULL;
	}
	return &sh->handles[h - 1];
}

static uint64_t sh_open(SocSemihost *sh, SocCpu *cpu, unsigned wb, uint64_t param)
{
	static const int modes[12] = {
		O_RDONLY, O_RDONLY, O_RDWR, O_RDWR,
		O_WRONLY | O_CREAT | O_TRUNC, O_WRONLY | O_CREAT | O_TRUNC,
		O_RDWR | O_CREAT | O_TRUNC, O_RDWR | O_CREAT | O_TRUNC,
		O_WRONLY | O_CREAT | O_APPEND, O_WRONLY | O_CREAT | O_APPEND,
		O_RDWR | O_CREAT | O_APPEND, O_RDWR | O_CREAT | O_APPEND,
	};
	uint64_t a[3];
	g_autofree char *name = NULL, *path = NULL;
	int fd;

	if (!read_args(cpu, wb, param, a, 3) || !(name = read_string(cpu, a[0], a[2])))
		return (uint64_t)-1;
	if (a[1] > 11) {
		guest_error(cpu, "SYS_OPEN mode %" G_GUINT64_FORMAT " is not 0..11", a[1]);
		sh->last_errno = EINVAL;
		return (uint64_t)-1;
	}
	if (!strcmp(name, ":tt"))
		return (uint64_t)(int64_t)new_handle(sh, a[1] < 4 ? H_TT_IN : a[1] < 8 ? H_TT_OUT : H_TT_ERR, -1);
	if (!strcmp(name, ":semihosting-features")) {
		if (a[1] >= 4) {
			sh->last_errno = EACCES;
			return (uint64_t)-1;
		}
		return (uint64_t)(int64_t)new_handle(sh, H_FEATURES, -1);
	}
	path = host_path(sh, cpu, name);
	if (!path)
		return (uint64_t)-1;
	fd = open(path, modes[a[1]] | O_CLOEXEC, 0644);
	if (fd < 0) {
		sh->last_errno = errno;
		return (uint64_t)-1;
	}
	return (uint64_t)(int64_t)new_handle(sh, H_FILE, fd);
}

static uint64_t sh_write(SocSemihost *sh, SocCpu *cpu, unsigned wb, uint64_t param)
{
	uint64_t a[3];
	Handle *h;
	g_autofree uint8_t *buf = NULL;
	ssize_t n;

	if (!read_args(cpu, wb, param, a, 3) || !(h = get_handle(sh, cpu, a[0])))
		return (uint64_t)-1;
	if (a[2] > (1u << 24)) {
		guest_error(cpu, "SYS_WRITE of %" G_GUINT64_FORMAT " bytes is too long", a[2]);
		return a[2];
	}
	buf = g_malloc(a[2] ? a[2] : 1);
	if (!soc_as_read_bytes(cpu->as, a[1], buf, a[2], NULL)) {
		guest_error(cpu, "SYS_WRITE buffer at 0x%" G_GINT64_MODIFIER "x is not in memory", a[1]);
		return a[2];
	}
	switch (h->kind) {
	case H_TT_OUT:
		console_write(sh, cpu, sh->out_fd, buf, a[2]);
		return 0;
	case H_TT_ERR:
		console_write(sh, cpu, sh->err_fd, buf, a[2]);
		return 0;
	case H_FILE:
		n = write(h->fd, buf, a[2]);
		if (n < 0) {
			sh->last_errno = errno;
			return a[2];
		}
		return a[2] - (uint64_t)n;
	default:
		sh->last_errno = EBADF;
		return a[2];
	}
}

static uint64_t sh_read(SocSemihost *sh, SocCpu *cpu, unsigned wb, uint64_t param)
{
	uint64_t a[3];
	Handle *h;
	g_autofree uint8_t *buf = NULL;
	ssize_t n = 0;

	if (!read_args(cpu, wb, param, a, 3) || !(h = get_handle(sh, cpu, a[0])))
		return (uint64_t)-1;
	if (a[2] > (1u << 24))
		a[2] = 1u << 24;
	buf = g_malloc(a[2] ? a[2] : 1);
	switch (h->kind) {
	case H_FEATURES:
		n = (ssize_t)MIN(a[2], sizeof(features) - h->pos);
		memcpy(buf, features + h->pos, (size_t)n);
		h->pos += (unsigned)n;
		break;
	case H_TT_IN:
		n = read(sh->in_fd, buf, a[2]);
		break;
	case H_FILE:
		n = read(h->fd, buf, a[2]);
		break;
	default:
		sh->last_errno = EBADF;
		return a[2];
	}
	if (n < 0) {
		sh->last_errno = errno;
		return a[2];
	}
	if (!soc_as_write_bytes(cpu->as, a[1], buf, (uint64_t)n, NULL)) {
		guest_error(cpu, "SYS_READ buffer at 0x%" G_GINT64_MODIFIER "x is not in memory", a[1]);
		return a[2];
	}
	return a[2] - (uint64_t)n;
}

static uint64_t sh_exit(SocSemihost *sh, SocCpu *cpu, unsigned wb, uint64_t param, bool extended)
{
	uint64_t reason = param, subcode = 0;
	int status;

	/* AArch32 (and RV32) SYS_EXIT passes the reason itself; the others a two-word block. */
	if (extended || wb == 8) {
		uint64_t a[2];
		if (!read_args(cpu, wb, param, a, 2))
			return (uint64_t)-1;
		reason = a[0];
		subcode = a[1];
	}
	if (reason == SOC_SH_ADP_STOPPED_APPLICATION_EXIT)
		status = (int)(subcode & 0xff);
	else
		status = 1;
	sh->exited = true;
	sh->exit_status = status;
	if (cpu->machine) {
		g_autofree char *why = g_strdup_printf("semihosting exit, status %d", status);
		soc_machine_cpu_exit(cpu->machine, cpu, status, why);
	}
	soc_cpu_kick(cpu);
	return 0;
}

uint64_t soc_semihost_call(SocSemihost *sh, SocCpu *cpu, unsigned wb, uint64_t op, uint64_t param)
{
	SocTime now = soc_cpu_local_time(cpu);
	uint64_t a[4];
	Handle *h;
	struct stat st;

	switch (op) {
	case SOC_SH_OPEN:
		return sh_open(sh, cpu, wb, param);
	case SOC_SH_CLOSE:
		if (!read_args(cpu, wb, param, a, 1) || !(h = get_handle(sh, cpu, a[0])))
			return (uint64_t)-1;
		if (h->kind == H_FILE)
			close(h->fd);
		h->kind = H_FREE;
		return 0;
	case SOC_SH_WRITEC: {
		uint8_t c;
		if (!soc_as_read_bytes(cpu->as, param, &c, 1, NULL)) {
			guest_error(cpu, "SYS_WRITEC character at 0x%" G_GINT64_MODIFIER "x is not in memory", param);
			return (uint64_t)-1;
		}
		console_write(sh, cpu, sh->out_fd, &c, 1);
		return 0;
	}
	case SOC_SH_WRITE0: {
		GString *s = g_string_new(NULL);
		uint8_t c;
		for (uint64_t p = param; s->len < (1u << 20); p++) {
			if (!soc_as_read_bytes(cpu->as, p, &c, 1, NULL)) {
				guest_error(cpu, "SYS_WRITE0 string at 0x%" G_GINT64_MODIFIER "x runs out of memory", param);
				break;
			}
			if (!c)
				break;
			g_string_append_c(s, (char)c);
		}
		console_write(sh, cpu, sh->out_fd, s->str, s->len);
		g_string_free(s, TRUE);
		return 0;
	}
	case SOC_SH_WRITE:
		return sh_write(sh, cpu, wb, param);
	case SOC_SH_READ:
		return sh_read(sh, cpu, wb, param);
	case SOC_SH_READC: {
		uint8_t c;
		return read(sh->in_fd, &c, 1) == 1 ? c : (uint64_t)-1;
	}
	case SOC_SH_ISERROR:
		if (!read_args(cpu, wb, param, a, 1))
			return (uint64_t)-1;
		return wb == 4 ? ((int32_t)a[0] < 0) : ((int64_t)a[0] < 0);
	case SOC_SH_ISTTY:
		if (!read_args(cpu, wb, param, a, 1) || !(h = get_handle(sh, cpu, a[0])))
			return (uint64_t)-1;
		return h->kind == H_TT_IN || h->kind == H_TT_OUT || h->kind == H_TT_ERR;
	case SOC_SH_SEEK:
		if (!read_args(cpu, wb, param, a, 2) || !(h = get_handle(sh, cpu, a[0])))
			return (uint64_t)-1;
		if (h->kind == H_FEATURES) {
			h->pos = (unsigned)MIN(a[1], sizeof(features));
			return 0;
		}
		if (h->kind != H_FILE || lseek(h->fd, (off_t)a[1], SEEK_SET) < 0) {
			sh->last_errno = h->kind == H_FILE ? errno : ESPIPE;
			return (uint64_t)-1;
		}
		return 0;
	case SOC_SH_FLEN:
		if (!read_args(cpu, wb, param, a, 1) || !(h = get_handle(sh, cpu, a[0])))
			return (uint64_t)-1;
		if (h->kind == H_FEATURES)
			return sizeof(features);
		if (h->kind != H_FILE || fstat(h->fd, &st) < 0) {
			sh->last_errno = h->kind == H_FILE ? errno : EBADF;
			return (uint64_t)-1;
		}
		return (uint64_t)st.st_size;
	case SOC_SH_REMOVE: {
		g_autofree char *name = NULL, *path = NULL;
		if (!read_args(cpu, wb, param, a, 2) || !(name = read_string(cpu, a[0], a[1])) ||
		    !(path = host_path(sh, cpu, name)))
			return (uint64_t)-1;
		if (unlink(path) < 0) {
			sh->last_errno = errno;
			return (uint64_t)errno;
		}
		return 0;
	}
	case SOC_SH_RENAME: {
		g_autofree char *n1 = NULL, *n2 = NULL, *p1 = NULL, *p2 = NULL;
		if (!read_args(cpu, wb, param, a, 4) || !(n1 = read_string(cpu, a[0], a[1])) ||
		    !(n2 = read_string(cpu, a[2], a[3])) || !(p1 = host_path(sh, cpu, n1)) ||
		    !(p2 = host_path(sh, cpu, n2)))
			return (uint64_t)-1;
		if (rename(p1, p2) < 0) {
			sh->last_errno = errno;
			return (uint64_t)errno;
		}
		return 0;
	}
	case SOC_SH_CLOCK:
		return now / (SOC_PS_PER_MS * 10);                 /* centiseconds */
	case SOC_SH_TIME:
		return sh->epoch + now / SOC_PS_PER_SEC;
	case SOC_SH_ELAPSED: {
		uint64_t ticks = now / (SOC_PS_PER_SEC / TICK_HZ);
		if (!soc_as_write_bytes(cpu->as, param, &ticks, 8, NULL)) {
			guest_error(cpu, "SYS_ELAPSED block at 0x%" G_GINT64_MODIFIER "x is not in memory", param);
			return (uint64_t)-1;
		}
		return 0;
	}
	case SOC_SH_TICKFREQ:
		return TICK_HZ;
	case SOC_SH_ERRNO:
		return (uint64_t)sh->last_errno;
	case SOC_SH_GET_CMDLINE: {
		uint64_t len = strlen(sh->cmdline);
		if (!read_args(cpu, wb, param, a, 2))
			return (uint64_t)-1;
		if (len + 1 > a[1])
			return (uint64_t)-1;
		if (!soc_as_write_bytes(cpu->as, a[0], sh->cmdline, len + 1, NULL) ||
		    !soc_as_write_bytes(cpu->as, param + wb, &len, wb, NULL)) {
			guest_error(cpu, "SYS_GET_CMDLINE buffer at 0x%" G_GINT64_MODIFIER "x is not in memory", a[0]);
			return (uint64_t)-1;
		}
		return 0;
	}
	case SOC_SH_HEAPINFO: {
		/* Zeros say "unknown": the C library then uses its own linker symbols. */
		uint64_t block, zeros[4] = { 0 };
		if (!read_word(cpu, wb, param, &block) ||
		    !soc_as_write_bytes(cpu->as, block, zeros, 4 * wb, NULL)) {
			guest_error(cpu, "SYS_HEAPINFO block is not in memory");
			return (uint64_t)-1;
		}
		return 0;
	}
	case SOC_SH_EXIT:
		return sh_exit(sh, cpu, wb, param, false);
	case SOC_SH_EXIT_EXTENDED:
		return sh_exit(sh, cpu, wb, param, true);
	case SOC_SH_SYSTEM:
		guest_error(cpu, "SYS_SYSTEM is refused: a guest does not run host commands");
		sh->last_errno = EACCES;
		return (uint64_t)-1;
	case SOC_SH_TMPNAM:
	default:
		soc_log(cpu->log, SOC_LOG_UNIMP, "%s: semihosting operation 0x%" G_GINT64_MODIFIER "x is not implemented",
		        cpu->path, op);
		sh->last_errno = ENOSYS;
		return (uint64_t)-1;
	}
}
