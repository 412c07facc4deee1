/* core/log.c — diagnostics from inside the simulation (see log.h). */
#include "core/log.h"
#include "core/error.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

struct SocLog {
	unsigned categories;
	FILE *stream;           /* stderr unless -D or a test said otherwise */
	bool own_stream;
	unsigned guest_errors;
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

SocLog *soc_log_new(void)
{
	SocLog *log = g_new0(SocLog, 1);
	log->categories = SOC_LOG_GUEST_ERROR | SOC_LOG_UNIMP;
	log->stream = stderr;
	return log;
}

static void close_stream(SocLog *log)
{
	if (log->own_stream)
		fclose(log->stream);
	log->own_stream = false;
	log->stream = stderr;
}

void soc_log_free(SocLog *log)
{
	if (!log)
		return;
	close_stream(log);
	g_free(log);
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
	log->stream = f;
	log->own_stream = true;
	return true;
}

void soc_log_set_stream(SocLog *log, FILE *stream)
{
	close_stream(log);
	log->stream = stream;
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

void soc_log_write(SocLog *log, SocLogCategory c, const char *fmt, ...)
{
	va_list ap;

	if (!log || !(log->categories & c))
		return;
	va_start(ap, fmt);
	vfprintf(log->stream, fmt, ap);
	va_end(ap);
	fputc('\n', log->stream);
	if (c & (SOC_LOG_GUEST_ERROR | SOC_LOG_UNIMP))
		fflush(log->stream);
}
