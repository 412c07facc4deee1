/* core/sched.h — running a built machine over virtual time.
 *
 * CPUs run in quanta of virtual time, in tree order (cluster by cluster, cpu by cpu), each
 * up to the end of the slice: the quantum's end or the next timer event, whichever is first.
 * Then due events fire and host I/O (consoles, sockets, gdb) is serviced, between quanta
 * only, so a run depends on its inputs and nothing else. When every CPU sleeps, time jumps
 * to the next event; when no event is armed either, the process blocks until host input
 * arrives (or the run ends as stuck when no input can come). */
#ifndef SOC_SCHED_H
#define SOC_SCHED_H

#include "core/machine.h"

typedef struct SocRunLimits {
	SocTime quantum;            /* 0: the default (100 us) */
	SocTime timeout;            /* virtual time limit, 0: none */
	uint64_t max_insns;         /* total retired instructions over all cpus, 0: none */
} SocRunLimits;

typedef enum {
	SOC_RUN_SHUTDOWN,           /* the guest (or the console) ended the run: see status */
	SOC_RUN_TIMEOUT,            /* the virtual time limit was reached */
	SOC_RUN_INSN_LIMIT,         /* the instruction limit was reached */
	SOC_RUN_LOCKUP,             /* a cpu locked up: see cpu and reason */
	SOC_RUN_STUCK,              /* every cpu sleeps and nothing can ever wake one */
	SOC_RUN_NOTHING,            /* no cpu has anything to run */
	SOC_RUN_RESET,              /* the guest asked for a reset; the caller reloads and runs again */
} SocRunOutcome;

typedef struct SocRunResult {
	SocRunOutcome outcome;
	int status;                 /* SOC_RUN_SHUTDOWN: the guest's exit status */
	SocCpu *cpu;                /* the cpu concerned (lockup, or the one running at the limit) */
	char *reason;               /* owned; human-readable */
	SocTime time;               /* virtual time at the end */
	uint64_t insns;             /* total instructions retired */
} SocRunResult;

/* Host-side hook called between quanta (the machine protocol, gdb). */
typedef void (*SocRunHostHook)(void *opaque);

void soc_machine_run(SocMachine *m, const SocRunLimits *limits, SocRunResult *result);
void soc_run_result_clear(SocRunResult *r);
const char *soc_run_outcome_name(SocRunOutcome o);

#endif
