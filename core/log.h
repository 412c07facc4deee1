/* core/log.h — diagnostics from inside the simulation.
 *
 * Three kinds are kept apart (as QEMU does): guest errors (the guest did something a real
 * part would reject or ignore), unimplemented features the guest used, and traces that the
 * user asked for with -d. Everything goes to stderr or the -D file, never to stdout, which
 * belongs to the guest's console. One SocLog per machine: no global logging state. */
#ifndef SOC_LOG_H
#define SOC_LOG_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

typedef enum {
	SOC_LOG_GUEST_ERROR = 1u << 0,  /* "guest_errors" */
	SOC_LOG_UNIMP       = 1u << 1,  /* "unimp" */
	SOC_LOG_EXEC        = 1u << 2,  /* "exec": every instruction executed */
	SOC_LOG_INT         = 1u << 3,  /* "int": exceptions and interrupts taken */
	SOC_LOG_MMIO        = 1u << 4,  /* "mmio": every device access */
	SOC_LOG_IRQ         = 1u << 5,  /* "irq": every signal level change */
	SOC_LOG_SCHED       = 1u << 6,  /* "sched": quanta, sleeps, time jumps */
} SocLogCategory;

typedef struct SocLog SocLog;

/* Guest errors and unimp are on by default; traces are off. */
SocLog *soc_log_new(void);
void soc_log_free(SocLog *log);
/* "guest_errors,unimp,exec" (also "all", "none", "help"); unknown names are a usage error. */
bool soc_log_set_categories(SocLog *log, const char *spec, GError **err);
bool soc_log_set_file(SocLog *log, const char *path, GError **err);
void soc_log_set_stream(SocLog *log, FILE *stream);  /* tests: capture into a memstream */
unsigned soc_log_categories(const SocLog *log);
const char *soc_log_category_help(void);

static inline bool soc_log_enabled(const SocLog *log, SocLogCategory c)
{
	return log && (soc_log_categories(log) & c);
}

/* One line, formatted; the newline is added. Lines still in the buffer go out first and this
 * one goes out at once, so it keeps its place among the other writers of the stream. */
void soc_log_write(SocLog *log, SocLogCategory c, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Hot traces (-d exec): `len` bytes as they are, normally ending in '\n' (the caller's). They
 * are collected in the log's buffer and written when it fills, before the next soc_log_write,
 * on soc_log_flush, on a change of categories or destination, and by soc_log_free; a stream
 * from soc_log_set_stream other than stderr gets each line at once (into its stdio buffer),
 * so that whoever set it can read it at any time. Any length is accepted. */
void soc_log_write_raw(SocLog *log, SocLogCategory c, const char *line, size_t len);
/* The same, for traces that build their line in place: `max` writable bytes (at most
 * SOC_LOG_RESERVE_MAX), or NULL when category c is off. soc_log_commit says how many of them
 * (at most max) are the line; no other call on the log may come between the two. */
#define SOC_LOG_RESERVE_MAX 4096
char *soc_log_reserve(SocLog *log, SocLogCategory c, size_t max);
void soc_log_commit(SocLog *log, size_t len);
/* Everything buffered out to the stream and the stream flushed: before the process writes to
 * the log's stream by other means, waits for input, or ends. */
void soc_log_flush(SocLog *log);
/* How many guest errors were logged, including ones filtered out by -d (for reports and tests). */
unsigned soc_log_guest_error_count(const SocLog *log);

void soc_log_count_guest_error(SocLog *log);

#define soc_log(log, cat, ...) \
	do { if (soc_log_enabled((log), (cat))) soc_log_write((log), (cat), __VA_ARGS__); } while (0)
/* A guest error is counted even when its category is filtered out. */
#define soc_log_guest_error(log, ...) \
	do { soc_log_count_guest_error(log); soc_log((log), SOC_LOG_GUEST_ERROR, __VA_ARGS__); } while (0)

#endif
