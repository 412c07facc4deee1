/* devices/arm-cmsdk-timer.c — the Arm CMSDK APB timer ("arm,cmsdk-timer"; Cortex-M System
 * Design Kit TRM, "APB timer"): one 32-bit down-counter, as on the MPS2 boards.
 *
 * Registers (32-bit accesses):
 *   0x00 CTRL       bit 0 enable, 1 external input as enable, 2 external input as clock,
 *                   3 interrupt enable. EXTIN is not modelled (tied low): with bit 1 or 2 set
 *                   the counter stands still, and the write is logged as unimplemented.
 *   0x04 VALUE      the counter; counts down one per clock cycle while enabled
 *   0x08 RELOAD     writing it also loads VALUE
 *   0x0c INTSTATUS  read: bit 0 the interrupt; write (INTCLEAR): 1 clears it
 *   0xfd0-0xffc     peripheral and component ID registers (read-only)
 * Irq: output 0 (TIMERINT), high while INTSTATUS and CTRL.3.
 * Timing: at the clock-frequency of the node (or of the fixed clock its `clocks` names).
 * VALUE goes V, V-1, ..., 0, then RELOAD on the next cycle: a period is RELOAD + 1 cycles.
 * On arriving at 0 with the interrupt enabled, INTSTATUS is set. With RELOAD 0 the counter
 * stays at 0. VALUE is computed from virtual time when read; one event-queue timer stands at
 * the exact picosecond of the next arrival at 0. */
#include "core/device.h"
#include "core/error.h"
#include "core/irq.h"


enum { R_CTRL = 0x00, R_VALUE = 0x04, R_RELOAD = 0x08, R_INTSTATUS = 0x0c, R_PID4 = 0xfd0 };
enum { CTRL_EN = 1, CTRL_SELEXTEN = 2, CTRL_SELEXTCLK = 4, CTRL_IRQEN = 8 };

static const uint8_t timer_id[12] = {
	0x04, 0x00, 0x00, 0x00, 0x22, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

typedef struct {
	SocDevice dev;
	uint32_t clock_prop;
	bool clock_present;
	char *clocks;

	uint64_t hz;
	uint32_t ctrl, reload, intstatus;
	uint32_t v0;             /* VALUE at cycle c0 */
	uint64_t c0;
	SocTimer *timer;
} CmsdkTimer;

static uint64_t cycles_now(const CmsdkTimer *s)
{
	return soc_time_to_cycles(soc_dev_now(&s->dev), s->hz);
}

static bool counting(const CmsdkTimer *s)
{
	return (s->ctrl & (CTRL_EN | CTRL_SELEXTEN | CTRL_SELEXTCLK)) == CTRL_EN;
}

static uint32_t value_at(const CmsdkTimer *s, uint64_t c)
{
	uint64_t e = c - s->c0;

	if (!counting(s))
		return s->v0;
	if (e <= s->v0)
		return s->v0 - (uint32_t)e;
	if (s->reload == 0)
		return 0;
	return s->reload - (uint32_t)((e - s->v0 - 1) % ((uint64_t)s->reload + 1));
}

/* The first picosecond at which the clock has counted `c` cycles. */
static SocTime cycle_time(uint64_t c, uint64_t hz)
{
	unsigned __int128 ps = ((unsigned __int128)c * SOC_PS_PER_SEC + hz - 1) / hz;
	return ps >= SOC_TIME_NEVER ? SOC_TIME_NEVER : (SocTime)ps;
}

static void update_irq(CmsdkTimer *s)
{
	soc_irq_set(s->dev.irq_out[0], (s->intstatus & 1) && (s->ctrl & CTRL_IRQEN));
}

/* Take VALUE as of now as the new starting point and arm the next arrival at 0. */
static void rebase(CmsdkTimer *s, uint32_t value)
{
	s->c0 = cycles_now(s);
	s->v0 = value;
	if (!counting(s) || (value == 0 && s->reload == 0)) {
		soc_timer_cancel(s->timer);
		return;
	}
	soc_timer_arm(s->timer, cycle_time(s->c0 + (value ? value : (uint64_t)s->reload + 1), s->hz));
}

static void timer_fired(SocDevice *dev)
{
	CmsdkTimer *s = (CmsdkTimer *)dev;

	if (s->ctrl & CTRL_IRQEN)
		s->intstatus = 1;
	rebase(s, 0);
	update_irq(s);
}

static bool timer_read(void *opaque, uint64_t off, unsigned size, uint64_t *value)
{
	CmsdkTimer *s = opaque;
	(void)size;

	switch (off) {
	case R_CTRL: *value = s->ctrl; return true;
	case R_VALUE: *value = value_at(s, cycles_now(s)); return true;
	case R_RELOAD: *value = s->reload; return true;
	case R_INTSTATUS: *value = s->intstatus; return true;
	}
	if (off >= R_PID4 && off < R_PID4 + 4 * sizeof timer_id) {
		*value = timer_id[(off - R_PID4) / 4];
		return true;
	}
	soc_dev_guest_error(&s->dev, "read at offset 0x%" G_GINT64_MODIFIER "x: no register there", off);
	*value = 0;
	return true;
}

static bool timer_write(void *opaque, uint64_t off, unsigned size, uint64_t value)
{
	CmsdkTimer *s = opaque;
	uint32_t v = (uint32_t)value;
	(void)size;

	switch (off) {
	case R_CTRL: {
		uint32_t now = value_at(s, cycles_now(s));
		if (v & ~0xfu)
			soc_dev_guest_error(&s->dev, "CTRL write 0x%x sets reserved bits", v);
		if (v & (CTRL_SELEXTEN | CTRL_SELEXTCLK))
			soc_dev_unimp(&s->dev, "CTRL 0x%x: the external input is not modelled (tied low)", v);
		s->ctrl = v & 0xf;
		rebase(s, now);
		update_irq(s);
		return true;
	}
	case R_VALUE:
		rebase(s, v);
		return true;
	case R_RELOAD:
		s->reload = v;
		rebase(s, v);
		return true;
	case R_INTSTATUS:
		if (v & 1)
			s->intstatus = 0;
		update_irq(s);
		return true;
	}
	soc_dev_guest_error(&s->dev, "write of 0x%x at offset 0x%" G_GINT64_MODIFIER "x: %s", v, off,
	                    off >= R_PID4 && off < 0x1000 ? "ID registers are read-only" : "no register there");
	return true;
}

static const SocMmioOps timer_ops = { .read = timer_read, .write = timer_write, .sizes = 4 };

static void timer_reset(SocDevice *dev)
{
	CmsdkTimer *s = (CmsdkTimer *)dev;

	s->ctrl = s->reload = s->intstatus = 0;
	rebase(s, 0);
	update_irq(s);
}

static bool timer_realize(SocDevice *dev, GError **err)
{
	CmsdkTimer *s = (CmsdkTimer *)dev;

	if (!soc_dev_clock_hz(dev, s->clock_prop, s->clock_present, s->clocks, &s->hz, err))
		return false;
	s->timer = soc_dev_timer_new(dev, timer_fired);
	timer_reset(dev);
	return true;
}

static const SocPropDesc timer_props[] = {
	SOC_PROP_U32_OPT("clock-frequency", CmsdkTimer, clock_prop, 0, clock_present),
	SOC_PROP_PHANDLE("clocks", CmsdkTimer, clocks, false),
	SOC_PROP_END
};

const SocDeviceClass soc_arm_cmsdk_timer_class = {
	.name = "arm-cmsdk-timer",
	.compatible = (const char *const[]){ "arm,cmsdk-timer", NULL },
	.description = "Arm CMSDK APB timer: a 32-bit down-counter with reload and interrupt",
	.instance_size = sizeof(CmsdkTimer),
	.props = timer_props,
	.mmio = &timer_ops,
	.n_irq_outputs = 1,
	.realize = timer_realize,
	.reset = timer_reset,
};
