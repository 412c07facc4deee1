/* core/log.c — diagnostics from inside the simulation (see log.h). */
#include "core/log.h"
#include "core/error.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

/* Lines waiting for the stream. A write(2) per buffer costs a few nanoseconds per trace line at
 * this size, and the buffer still fits in the cache next to the trace's own tables. */
#define LOG_BUF_SIZE (64 * 1024)

struct SocLog {
	unsigned categories;
	FILE *stream;           /* stderr unless -D or a test said otherwise */
	bool own_stream;
	bool write_through;     /* a caller's stream, which it may read at any time: no buffering */
	unsigned guest_errors;
	char *buf;              /* LOG_BUF_SIZE bytes once a line has been written */
	size_t used;
	size_t room;            /* what soc_log_write_raw may fill without a look: 0 = see spill() */
};

static const struct {
	const char *name;
	unsigned mask;
	const char *help;
} log_names[] = {
	{ "guest_errors", SOC_LOG_GUEST_ERROR, "the guest did something a real part rejects or ignores" },
	{ "unimp", SOC_LOG_UNIMP, "the guest used a feature socemu does not implement" },
	{ "exec", SOC_LOG_EXEC, "every instruction executed (slow)" },
	{ "int", SOC_LOG_INT, "exceptions and interrupts taken" },
	{ "mmio", SOC_LOG_MMIO, "every device register access" },
	{ "irq", SOC_LOG_IRQ, "every change of an interrupt signal" },
	{ "sched", SOC_LOG_SCHED, "quanta, sleeps and jumps of virtual time" },
};

/* The buffer out to the stream (into its stdio buffer, or straight to the file when the stream
 * has none). Only stderr and our own files are ever buffered here, so a caller's stream is not
 * touched after it has been taken back (tests close theirs before freeing the log). */
static void drain(SocLog *log)
{
	if (log->used) {
		fwrite(log->buf, 1, log->used, log->stream);
		log->used = 0;
	}
	log->room = log->write_through || !log->buf ? 0 : LOG_BUF_SIZE;
}

static void set_destination(SocLog *log, FILE *stream, bool own)
{
	log->stream = stream;
	log->own_stream = own;
	log->write_through = !own && stream != stderr;
	log->room = log->write_through || !log->buf ? 0 : LOG_BUF_SIZE;
}

SocLog *soc_log_new(void)
{
	SocLog *log = g_new0(SocLog, 1);
	log->categories = SOC_LOG_GUEST_ERROR | SOC_LOG_UNIMP;
	set_destination(log, stderr, false);
	return log;
}

static void close_stream(SocLog *log)
{
	drain(log);
	if (log->own_stream)
		fclose(log->stream);
	else if (log->stream == stderr)
		fflush(stderr);
	set_destination(log, stderr, false);
}

void soc_log_free(SocLog *log)
{
	if (!log)
		return;
	close_stream(log);
	g_free(log->buf);
	g_free(log);
}

void soc_log_flush(SocLog *log)
{
	if (!log)
		return;
	drain(log);
	fflush(log->stream);
}

bool soc_log_set_categories(SocLog *log, const char *spec, GError **err)
{
	unsigned mask = 0;
	g_auto(GStrv) words = g_strsplit(spec, ",", -1);

	for (char **w = words; *w; w++) {
		bool found = false;
		if (!**w)
			continue;
		if (!strcmp(*w, "all")) {
			for (size_t i = 0; i < G_N_ELEMENTS(log_names); i++)
				mask |= log_names[i].mask;
			continue;
		}
		if (!strcmp(*w, "none"))
			continue;
		for (size_t i = 0; i < G_N_ELEMENTS(log_names); i++) {
			if (!strcmp(*w, log_names[i].name)) {
				mask |= log_names[i].mask;
				found = true;
			}
		}
		if (!found) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE,
			            "-d: unknown log category '%s' (known: %s)", *w, soc_log_category_help());
			return false;
		}
	}
	/* What was traced so far is on disk before the next phase of the run (a caller's stream
	 * holds it already, and may be closed by now). */
	drain(log);
	if (!log->write_through)
		fflush(log->stream);
	log->categories = mask;
	return true;
}

const char *soc_log_category_help(void)
{
	return "guest_errors, unimp, exec, int, mmio, irq, sched, all, none";
}

bool soc_log_set_file(SocLog *log, const char *path, GError **err)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_IO, "-D %s: %s", path, g_strerror(errno));
		return false;
	}
	close_stream(log);
	set_destination(log, f, true);
	return true;
}

void soc_log_set_stream(SocLog *log, FILE *stream)
{
	close_stream(log);
	set_destination(log, stream, false);
}

unsigned soc_log_categories(const SocLog *log)
{
	return log->categories;
}

unsigned soc_log_guest_error_count(const SocLog *log)
{
	return log->guest_errors;
}

void soc_log_count_guest_error(SocLog *log)
{
	if (log)
		log->guest_errors++;
}

/* What the fast path of soc_log_write_raw leaves: a stream that takes lines at once, a buffer
 * not made yet, a full one, and lines longer than the buffer. */
static void spill(SocLog *log, const char *line, size_t len)
{
	drain(log);
	if (!log->write_through && !log->buf) {
		log->buf = g_malloc(LOG_BUF_SIZE);
		log->room = LOG_BUF_SIZE;
	}
	if (len <= log->room) {
		memcpy(log->buf, line, len);
		log->used = len;
		log->room -= len;
	} else {
		fwrite(line, 1, len, log->stream);
	}
}

void soc_log_write_raw(SocLog *log, SocLogCategory c, const char *line, size_t len)
{
	if (!log || !len || !(log->categories & c))
		return;
	if (G_UNLIKELY(len > log->room)) {
		spill(log, line, len);
		return;
	}
	memcpy(log->buf + log->used, line, len);
	log->used += len;
	log->room -= len;
}

char *soc_log_reserve(SocLog *log, SocLogCategory c, size_t max)
{
	if (!log || !(log->categories & c) || max > SOC_LOG_RESERVE_MAX)
		return NULL;
	if (G_UNLIKELY(max > log->room)) {
		/* A caller's stream gets the line from the start of the buffer at commit. */
		drain(log);
		if (!log->buf) {
			log->buf = g_malloc(LOG_BUF_SIZE);
			drain(log);
		}
	}
	return log->buf + log->used;
}

void soc_log_commit(SocLog *log, size_t len)
{
	log->used += len;
	if (G_UNLIKELY(log->write_through))
		drain(log);
	else
		log->room -= len;
}

void soc_log_write(SocLog *log, SocLogCategory c, const char *fmt, ...)
{
	va_list ap;
	char small[512];
	char *big = NULL;
	int n;

	if (!log || !(log->categories & c))
		return;
	/* Made whole first, so that it reaches an unbuffered stderr in one write. */
	va_start(ap, fmt);
	n = g_vsnprintf(small, sizeof(small) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small) - 1) {
		va_start(ap, fmt);
		big = g_strdup_vprintf(fmt, ap);
		va_end(ap);
		n = (int)strlen(big);
	}
	(big ? big : small)[n] = '\n';       /* over the terminator: the length says where it ends */
	soc_log_write_raw(log, c, big ? big : small, (size_t)n + 1);
	g_free(big);
	drain(log);
	if (c & (SOC_LOG_GUEST_ERROR | SOC_LOG_UNIMP))
		fflush(log->stream);
}
