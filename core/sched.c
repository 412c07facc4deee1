/* core/sched.c — the deterministic run loop (see sched.h). */
#include "core/sched.h"
#include "core/machine-core.h"
#include "core/chardev.h"
#include "core/log.h"
#include "cpus/cpu.h"

#include <string.h>

#define DEFAULT_QUANTUM (100 * SOC_PS_PER_US)
/* The default slice of a machine with one live cpu: nothing to interleave it with, so the
 * quantum only bounds how late host input enters; longer slices save the per-slice work (~2 %
 * of a fast guest's host time at 100 us). Timers still end a slice at their exact time. */
#define SOLO_QUANTUM (1000 * SOC_PS_PER_US)

typedef struct {
	SocMachine *m;
	SocCpu *running;            /* the cpu inside run(), or NULL */
	SocCpu *last;               /* the last cpu that executed (named when a limit ends the run) */
	gint64 last_pump;           /* host time of the last host I/O pass */
	SocTime slice_end;
	SocTime end_time;           /* when a cpu ended the run (its local time), or NEVER */
} Sched;

/* A timer was armed earlier than anything before: the running cpu must stop in time. */
static void deadline_moved(void *opaque, SocTime earliest)
{
	Sched *s = opaque;
	SocCpu *cpu = s->running;
	uint64_t cycles;

	if (earliest >= s->slice_end)
		return;
	s->slice_end = earliest;
	if (!cpu)
		return;
	cycles = soc_time_to_cycles_up(earliest, cpu->clock_hz);
	if (cycles <= cpu->insns + cpu->sleep_cycles)
		cpu->stop_at = cpu->insns;
	else if (cycles - cpu->sleep_cycles < cpu->stop_at)
		cpu->stop_at = cycles - cpu->sleep_cycles;
}

/* Bring a cpu that did not execute (asleep) up to `t`: sleeping costs cycles, not insns. */
static void idle_until(SocCpu *cpu, SocTime t)
{
	uint64_t cycles = soc_time_to_cycles(t, cpu->clock_hz);
	if (cycles > cpu->insns + cpu->sleep_cycles)
		cpu->sleep_cycles = cycles - cpu->insns;
}

/* Cpus that have not halted: 1 means nothing can need interleaving with the running one. */
static unsigned live_cpus(const SocMachine *m)
{
	unsigned n = 0;
	for (guint i = 0; i < m->clusters->len; i++) {
		SocCluster *c = m->clusters->pdata[i];
		for (guint k = 0; k < c->cpus->len; k++)
			n += ((SocCpu *)c->cpus->pdata[k])->state != SOC_CPU_HALTED;
	}
	return n;
}

static uint64_t total_insns(const SocMachine *m)
{
	uint64_t n = 0;
	for (guint i = 0; i < m->clusters->len; i++) {
		SocCluster *c = m->clusters->pdata[i];
		for (guint k = 0; k < c->cpus->len; k++)
			n += ((SocCpu *)c->cpus->pdata[k])->insns;
	}
	return n;
}

static void pump_host_io(SocMachine *m, bool may_block)
{
	if (may_block) {
		g_main_context_iteration(m->ctx, TRUE);
	}
	while (g_main_context_iteration(m->ctx, FALSE))
		;
}

static bool input_possible(const SocMachine *m)
{
	/* Only a backend that can still deliver bytes can wake a sleeping machine (stdin at its
	 * end cannot: `socemu ... </dev/null` with a guest waiting for input is stuck). */
	for (guint i = 0; i < m->chardevs->len; i++)
		if (soc_chardev_input_possible(m->chardevs->pdata[i]))
			return true;
	return false;
}

void soc_machine_run(SocMachine *m, const SocRunLimits *limits, SocRunResult *r)
{
	Sched s = { .m = m, .end_time = SOC_TIME_NEVER };
	SocTime quantum = limits && limits->quantum ? limits->quantum : DEFAULT_QUANTUM;
	bool solo_ok = !(limits && limits->quantum);   /* a quantum the user chose is kept */
	SocTime timeout = limits && limits->timeout ? limits->timeout : SOC_TIME_NEVER;
	uint64_t max_insns = limits && limits->max_insns ? limits->max_insns : UINT64_MAX;
	SocShutdownKind kind;
	const char *reason;

	memset(r, 0, sizeof(*r));
	soc_events_set_deadline_hook(m->events, deadline_moved, &s);

	for (;;) {
		SocTime now = soc_events_now(m->events);
		SocTime next_event;
		bool any_running = false, any_alive = false;

		if (soc_machine_shutdown_requested(m, &kind, &r->status, &reason)) {
			r->outcome = kind == SOC_SHUTDOWN_RESET ? SOC_RUN_RESET : SOC_RUN_SHUTDOWN;
			r->reason = g_strdup(reason);
			break;
		}
		if (now >= timeout) {
			r->outcome = SOC_RUN_TIMEOUT;
			r->reason = g_strdup("virtual time-out");
			r->cpu = s.last;
			break;
		}
		if (total_insns(m) >= max_insns) {
			r->outcome = SOC_RUN_INSN_LIMIT;
			r->reason = g_strdup("instruction limit reached");
			r->cpu = s.last;
			break;
		}

		next_event = soc_events_next(m->events);
		s.slice_end = MIN(now + (solo_ok && live_cpus(m) == 1 ? SOLO_QUANTUM : quantum), timeout);
		if (next_event > now)
			s.slice_end = MIN(s.slice_end, next_event);
		else
			s.slice_end = now;

		for (guint i = 0; i < m->clusters->len && !m->shutdown; i++) {
			SocCluster *c = m->clusters->pdata[i];
			for (guint k = 0; k < c->cpus->len && !m->shutdown; k++) {
				SocCpu *cpu = c->cpus->pdata[k];
				uint64_t target, budget_left, limit_at;

				if (cpu->state == SOC_CPU_HALTED)
					continue;
				any_alive = true;
				if (cpu->state == SOC_CPU_RUNNING && soc_cpu_local_time(cpu) < s.slice_end) {
					target = soc_time_to_cycles_up(s.slice_end, cpu->clock_hz);
					budget_left = max_insns - MIN(max_insns, total_insns(m));
					limit_at = cpu->insns + budget_left;   /* -max-insns reached here */
					cpu->stop_at = MIN(target - cpu->sleep_cycles, limit_at);
					s.running = cpu;
					soc_events_set_now(m->events, soc_cpu_local_time(cpu));
					cpu->cls->run(cpu);
					s.running = NULL;
					s.last = cpu;
					/* The run ends where this cpu stopped, not at the slice end: the
					 * time reported is the guest's, whatever the quantum. */
					if ((m->shutdown || cpu->state == SOC_CPU_LOCKED_UP || cpu->insns >= limit_at) &&
					    s.end_time == SOC_TIME_NEVER)
						s.end_time = soc_cpu_local_time(cpu);
				}
				if (cpu->state == SOC_CPU_LOCKED_UP) {
					r->outcome = SOC_RUN_LOCKUP;
					r->cpu = cpu;
					r->reason = g_strdup(cpu->stop_reason ? cpu->stop_reason : "locked up");
					goto out;
				}
				if (cpu->state != SOC_CPU_RUNNING)
					idle_until(cpu, s.slice_end);
				else
					any_running = true;
			}
		}
		/* CPUs leave the clock at their own local times; the slice ends for everyone. */
		soc_events_set_now(m->events, now);
		soc_events_run_until(m->events, s.slice_end);
		/* Host I/O between quanta, but not after every short slice: a poll per 10 us of a
		 * fast guest would cost more than the guest. At most every millisecond of host time
		 * (input arrives at host-timed moments anyway; it still enters only here). */
		{
			gint64 host_now = g_get_monotonic_time();
			if (host_now - s.last_pump >= 1000) {
				pump_host_io(m, false);
				s.last_pump = host_now;
			}
		}

		if (!any_alive) {
			r->outcome = SOC_RUN_NOTHING;
			r->reason = g_strdup("no cpu has an image to run");
			break;
		}
		if (!any_running && !m->shutdown) {
			/* Every cpu sleeps. A cpu woken during this slice by a timer or input counts. */
			bool woke = false;
			for (guint i = 0; i < m->clusters->len && !woke; i++) {
				SocCluster *c = m->clusters->pdata[i];
				for (guint k = 0; k < c->cpus->len && !woke; k++)
					woke = ((SocCpu *)c->cpus->pdata[k])->state == SOC_CPU_RUNNING;
			}
			if (!woke) {
				SocTime next = soc_events_next(m->events);
				if (next != SOC_TIME_NEVER) {
					/* Idle is free: jump straight to the next event (or the time limit). */
					SocTime to = MIN(next, timeout);
					soc_log(m->log, SOC_LOG_SCHED, "sched: all cpus asleep, time jumps to %" G_GUINT64_FORMAT " ps", to);
					soc_events_set_now(m->events, MAX(to, soc_events_now(m->events)));
				} else if (input_possible(m)) {
					soc_log(m->log, SOC_LOG_SCHED, "sched: all cpus asleep, waiting for host input");
					soc_log_flush(m->log);   /* the trace so far, before waiting */
					pump_host_io(m, true);
				} else {
					r->outcome = SOC_RUN_STUCK;
					r->reason = g_strdup("every cpu sleeps and nothing can wake one (no timer armed, no input)");
					break;
				}
			}
		}
	}
out:
	soc_events_set_deadline_hook(m->events, NULL, NULL);
	r->time = s.end_time != SOC_TIME_NEVER ? s.end_time : soc_events_now(m->events);
	r->insns = total_insns(m);
	/* Buffered trace lines go out before whatever the caller prints about the run. */
	soc_log_flush(m->log);
}

void soc_run_result_clear(SocRunResult *r)
{
	g_clear_pointer(&r->reason, g_free);
}

const char *soc_run_outcome_name(SocRunOutcome o)
{
	static const char *const names[] = {
		[SOC_RUN_SHUTDOWN] = "shutdown", [SOC_RUN_TIMEOUT] = "timeout",
		[SOC_RUN_INSN_LIMIT] = "instruction-limit", [SOC_RUN_LOCKUP] = "lockup",
		[SOC_RUN_STUCK] = "stuck", [SOC_RUN_NOTHING] = "nothing-to-run", [SOC_RUN_RESET] = "reset",
	};
	return (unsigned)o < G_N_ELEMENTS(names) ? names[o] : "unknown";
}
