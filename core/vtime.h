/* core/vtime.h — virtual time and the event queue.
 *
 * Time is an integer count of picoseconds since reset; nothing in the simulation reads the
 * host clock. Timers are one-shot events on one queue per machine, fired in time order; two
 * events due at the same picosecond fire in the order they were armed, so runs repeat
 * exactly. */
#ifndef SOC_VTIME_H
#define SOC_VTIME_H

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t SocTime;                 /* picoseconds */
#define SOC_TIME_NEVER UINT64_MAX
#define SOC_PS_PER_NS 1000ULL
#define SOC_PS_PER_US 1000000ULL
#define SOC_PS_PER_MS 1000000000ULL
#define SOC_PS_PER_SEC 1000000000000ULL

typedef struct SocEventQueue SocEventQueue;
typedef struct SocTimer SocTimer;
typedef void (*SocTimerFn)(void *opaque);

/* Called whenever the earliest armed time moves earlier, so that a running CPU can stop in time. */
typedef void (*SocDeadlineFn)(void *opaque, SocTime earliest);

SocEventQueue *soc_events_new(void);
void soc_events_free(SocEventQueue *q);
void soc_events_set_deadline_hook(SocEventQueue *q, SocDeadlineFn fn, void *opaque);

/* The current virtual time. While a CPU runs, the scheduler keeps it at that CPU's local time
 * for every device access it makes. */
SocTime soc_events_now(const SocEventQueue *q);
void soc_events_set_now(SocEventQueue *q, SocTime now);

/* The time of the earliest armed timer, or SOC_TIME_NEVER. */
SocTime soc_events_next(const SocEventQueue *q);
/* Fire, in order, every timer due at or before `until`; time then stands at `until`.
 * A timer armed by a callback for a time <= until fires in the same call. Returns how many fired. */
unsigned soc_events_run_until(SocEventQueue *q, SocTime until);

SocTimer *soc_timer_new(SocEventQueue *q, SocTimerFn fn, void *opaque);
void soc_timer_free(SocTimer *t);               /* cancels it first; NULL is fine */
void soc_timer_arm(SocTimer *t, SocTime when);  /* absolute time; re-arming moves it */
void soc_timer_cancel(SocTimer *t);
bool soc_timer_armed(const SocTimer *t);
SocTime soc_timer_when(const SocTimer *t);      /* SOC_TIME_NEVER when not armed */

/* Conversions between a clock's cycles and time, exact for any frequency (128-bit math). */
SocTime soc_cycles_to_time(uint64_t cycles, uint64_t hz);
uint64_t soc_time_to_cycles(SocTime t, uint64_t hz);   /* rounds down */
/* The first cycle of the clock at or after time t (rounds up): a cpu asked to stop at t stops
 * at that instruction boundary. */
uint64_t soc_time_to_cycles_up(SocTime t, uint64_t hz);

#endif
