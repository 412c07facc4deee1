/* devices/arm-cmsdk-watchdog.c — the Arm CMSDK APB watchdog ("arm,cmsdk-watchdog"; CMSDK TRM
 * "APB watchdog", the SP805 of the AMBA kit): a 32-bit down-counter that interrupts on its
 * first expiry and resets the system on the second.
 *
 * Registers (32-bit accesses):
 *   0x000 LOAD      writing it also reloads the counter
 *   0x004 VALUE     the counter (read-only)
 *   0x008 CONTROL   bit 0 INTEN (also enables the counter; 0 -> 1 reloads it), bit 1 RESEN
 *   0x00c INTCLR    any write clears the interrupt and reloads the counter (write-only)
 *   0x010 RIS       bit 0 raw interrupt       0x014 MIS  RIS & INTEN
 *   0xc00 LOCK      writing 0x1ACCE551 unlocks, any other value locks; reads 1 when locked.
 *                   While locked, writes to every other register are ignored.
 *   0xf00 ITCR      bit 0 integration test mode: WDOGINT follows ITOP bit 1
 *   0xf04 ITOP      bit 0 WDOGRES (not a reset in test mode: logged), bit 1 WDOGINT
 *   0xfd0-0xffc     peripheral and component ID registers
 * Irq: output 0 (WDOGINT), high while MIS (the MPS2 boards wire it to NMI or not at all).
 * Timing: at the node's clock. The counter goes V, ..., 0 and then LOAD on the next cycle
 * (a period of LOAD + 1 cycles). Arriving at 0 with RIS clear sets RIS; with RIS still set
 * and RESEN set, it asks the machine for a system reset. One event-queue timer stands at the
 * exact picosecond of the next arrival at 0; VALUE is computed from virtual time. */
#include "core/device.h"
#include "core/error.h"
#include "core/irq.h"


enum { R_LOAD = 0x00, R_VALUE = 0x04, R_CONTROL = 0x08, R_INTCLR = 0x0c, R_RIS = 0x10,
       R_MIS = 0x14, R_LOCK = 0xc00, R_ITCR = 0xf00, R_ITOP = 0xf04, R_PID4 = 0xfd0 };
enum { C_INTEN = 1, C_RESEN = 2 };
#define WDOG_UNLOCK 0x1acce551u

static const uint8_t wdog_id[12] = {
	0x04, 0x00, 0x00, 0x00, 0x24, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

typedef struct {
	SocDevice dev;
	uint32_t clock_prop;
	bool clock_present;
	char *clocks;

	uint64_t hz;
	uint32_t load, control, ris, itcr, itop;
	bool locked;
	uint32_t v0;            /* VALUE at cycle c0 */
	uint64_t c0;
	SocTimer *timer;
} Watchdog;

static uint64_t cycles_now(const Watchdog *w)
{
	return soc_time_to_cycles(soc_dev_now(&w->dev), w->hz);
}

static uint32_t value_now(const Watchdog *w)
{
	uint64_t e = cycles_now(w) - w->c0;

	if (!(w->control & C_INTEN))
		return w->v0;
	if (e <= w->v0)
		return w->v0 - (uint32_t)e;
	if (w->load == 0)
		return 0;
	return w->load - (uint32_t)((e - w->v0 - 1) % ((uint64_t)w->load + 1));
}

static SocTime cycle_time(uint64_t c, uint64_t hz)
{
	unsigned __int128 ps = ((unsigned __int128)c * SOC_PS_PER_SEC + hz - 1) / hz;
	return ps >= SOC_TIME_NEVER ? SOC_TIME_NEVER : (SocTime)ps;
}

static void update_irq(Watchdog *w)
{
	bool level = w->itcr & 1 ? (w->itop & 2) != 0 : w->ris && (w->control & C_INTEN);
	soc_irq_set(w->dev.irq_out[0], level);
}

/* With LOAD 0 the counter arrives at 0 on every cycle; once RIS is set and RESEN clear,
 * further arrivals change nothing, so no event is armed for them. */
static void rebase(Watchdog *w, uint32_t value)
{
	w->c0 = cycles_now(w);
	w->v0 = value;
	if (!(w->control & C_INTEN) ||
	    (value == 0 && w->load == 0 && w->ris && !(w->control & C_RESEN))) {
		soc_timer_cancel(w->timer);
		return;
	}
	soc_timer_arm(w->timer, cycle_time(w->c0 + (value ? value : (uint64_t)w->load + 1), w->hz));
}

static void wdog_fired(SocDevice *dev)
{
	Watchdog *w = (Watchdog *)dev;

	if (w->ris && (w->control & C_RESEN))
		soc_dev_request_shutdown(dev, SOC_SHUTDOWN_RESET, 0, "watchdog reset");
	w->ris = 1;
	rebase(w, 0);
	update_irq(w);
}

static bool wdog_read(void *opaque, uint64_t off, unsigned size, uint64_t *value)
{
	Watchdog *w = opaque;
	(void)size;

	*value = 0;
	switch (off) {
	case R_LOAD: *value = w->load; return true;
	case R_VALUE: *value = value_now(w); return true;
	case R_CONTROL: *value = w->control; return true;
	case R_RIS: *value = w->ris; return true;
	case R_MIS: *value = w->ris && (w->control & C_INTEN); return true;
	case R_LOCK: *value = w->locked; return true;
	case R_ITCR: *value = w->itcr; return true;
	}
	if (off >= R_PID4 && off < R_PID4 + 4 * sizeof wdog_id) {
		*value = wdog_id[(off - R_PID4) / 4];
		return true;
	}
	soc_dev_guest_error(&w->dev, "read at offset 0x%" G_GINT64_MODIFIER "x: no readable register there", off);
	return true;
}

static bool wdog_write(void *opaque, uint64_t off, unsigned size, uint64_t value)
{
	Watchdog *w = opaque;
	uint32_t v = (uint32_t)value;
	(void)size;

	if (off == R_LOCK) {
		w->locked = v != WDOG_UNLOCK;
		return true;
	}
	if (w->locked && (off == R_LOAD || off == R_CONTROL || off == R_INTCLR || off == R_ITCR ||
	                  off == R_ITOP)) {
		soc_dev_guest_error(&w->dev, "write of 0x%x at offset 0x%" G_GINT64_MODIFIER "x while "
		                    "locked: ignored", v, off);
		return true;
	}
	switch (off) {
	case R_LOAD:
		w->load = v;
		rebase(w, v);
		return true;
	case R_CONTROL: {
		bool was_on = w->control & C_INTEN;
		uint32_t now = value_now(w);
		if (v & ~3u)
			soc_dev_guest_error(&w->dev, "CONTROL write 0x%x sets reserved bits", v);
		w->control = v & 3;
		/* Enabling the interrupt starts the count afresh from LOAD (SP805 behaviour). */
		rebase(w, !was_on && (w->control & C_INTEN) ? w->load : now);
		update_irq(w);
		return true;
	}
	case R_INTCLR:
		w->ris = 0;
		rebase(w, w->load);
		update_irq(w);
		return true;
	case R_ITCR:
		w->itcr = v & 1;
		update_irq(w);
		return true;
	case R_ITOP:
		w->itop = v & 3;
		if ((w->itcr & 1) && (v & 1))
			soc_dev_unimp(&w->dev, "ITOP drives WDOGRES: no reset in integration test mode");
		update_irq(w);
		return true;
	}
	soc_dev_guest_error(&w->dev, "write of 0x%x at offset 0x%" G_GINT64_MODIFIER "x: no writable "
	                    "register there", v, off);
	return true;
}

static const SocMmioOps wdog_ops = { .read = wdog_read, .write = wdog_write, .sizes = 4 };

static void wdog_reset(SocDevice *dev)
{
	Watchdog *w = (Watchdog *)dev;

	w->load = 0xffffffffu;
	w->control = w->ris = w->itcr = w->itop = 0;
	w->locked = false;
	rebase(w, 0xffffffffu);
	update_irq(w);
}

static bool wdog_realize(SocDevice *dev, GError **err)
{
	Watchdog *w = (Watchdog *)dev;

	if (!soc_dev_clock_hz(dev, w->clock_prop, w->clock_present, w->clocks, &w->hz, err))
		return false;
	w->timer = soc_dev_timer_new(dev, wdog_fired);
	wdog_reset(dev);
	return true;
}

static const SocPropDesc wdog_props[] = {
	SOC_PROP_U32_OPT("clock-frequency", Watchdog, clock_prop, 0, clock_present),
	SOC_PROP_PHANDLE("clocks", Watchdog, clocks, false),
	SOC_PROP_END
};

const SocDeviceClass soc_arm_cmsdk_watchdog_class = {
	.name = "arm-cmsdk-watchdog",
	.compatible = (const char *const[]){ "arm,cmsdk-watchdog", NULL },
	.description = "Arm CMSDK APB watchdog: interrupt on the first expiry, system reset on the second",
	.instance_size = sizeof(Watchdog),
	.props = wdog_props,
	.mmio = &wdog_ops,
	.n_irq_outputs = 1,
	.realize = wdog_realize,
	.reset = wdog_reset,
};
