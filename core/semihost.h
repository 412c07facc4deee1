/* core/semihost.h — Arm-style semihosting, shared by every CPU family.
 *
 * A CPU model recognises its architecture's semihosting trap (RISC-V: the
 * `slli x0,x0,0x1f; ebreak; srai x0,x0,7` sequence; Arm: BKPT 0xAB) and calls
 * soc_semihost_call() with the operation number and parameter register; the return value
 * goes back into the result register. Parameter blocks are read from the cpu's own address
 * space with the cpu's word size (4 or 8 bytes).
 *
 * Determinism: SYS_CLOCK, SYS_TIME, SYS_ELAPSED count virtual time (SYS_TIME from a fixed
 * epoch, 0 unless configured). Host files are reachable only below the configured root
 * directory: absolute paths and ".." components are refused, and so are symbolic links that
 * lead outside. SYS_SYSTEM is refused. Console output (SYS_WRITEC, SYS_WRITE0, writes to
 * ":tt") goes to the process's stdout, the guest's console; ":tt" opened for appending is
 * stderr. */
#ifndef SOC_SEMIHOST_H
#define SOC_SEMIHOST_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct SocCpu;
typedef struct SocSemihost SocSemihost;

enum {
	SOC_SH_OPEN = 0x01, SOC_SH_CLOSE = 0x02, SOC_SH_WRITEC = 0x03, SOC_SH_WRITE0 = 0x04,
	SOC_SH_WRITE = 0x05, SOC_SH_READ = 0x06, SOC_SH_READC = 0x07, SOC_SH_ISERROR = 0x08,
	SOC_SH_ISTTY = 0x09, SOC_SH_SEEK = 0x0a, SOC_SH_FLEN = 0x0c, SOC_SH_TMPNAM = 0x0d,
	SOC_SH_REMOVE = 0x0e, SOC_SH_RENAME = 0x0f, SOC_SH_CLOCK = 0x10, SOC_SH_TIME = 0x11,
	SOC_SH_SYSTEM = 0x12, SOC_SH_ERRNO = 0x13, SOC_SH_GET_CMDLINE = 0x15, SOC_SH_HEAPINFO = 0x16,
	SOC_SH_EXIT = 0x18, SOC_SH_EXIT_EXTENDED = 0x20, SOC_SH_ELAPSED = 0x30, SOC_SH_TICKFREQ = 0x31,
};

#define SOC_SH_ADP_STOPPED_APPLICATION_EXIT 0x20026

typedef struct SocSemihostConfig {
	const char *root;         /* host directory for file operations; NULL: no file access */
	const char *cmdline;      /* what SYS_GET_CMDLINE returns */
	uint64_t epoch;           /* SYS_TIME at virtual time 0 (seconds since 1970) */
	int stdout_fd, stderr_fd, stdin_fd;   /* normally 1, 2, 0 (tests redirect them) */
} SocSemihostConfig;

SocSemihost *soc_semihost_new(const SocSemihostConfig *cfg);
void soc_semihost_free(SocSemihost *sh);

/* Run one operation for `cpu` (word_bytes 4 or 8). Exits become shutdown requests to the
 * cpu's machine (when it has one). A malformed request (a parameter block in unmapped
 * memory, an unknown operation) is a guest error naming the cpu and pc, and returns -1. */
uint64_t soc_semihost_call(SocSemihost *sh, struct SocCpu *cpu, unsigned word_bytes, uint64_t op,
                           uint64_t param);

/* When several clusters run images, each line of console output is prefixed with
 * "[cluster] " so that their outputs stay apart on one stdout. */
void soc_semihost_set_cluster_prefixes(SocSemihost *sh, bool on);

/* Write out unfinished console lines (the end of a run). */
void soc_semihost_flush(SocSemihost *sh);

/* The last exit request seen (for machines without a SocMachine, e.g. unit tests). */
bool soc_semihost_exited(const SocSemihost *sh, int *status);

#endif
