/* devices/arm-cmsdk-dualtimer.c — the Arm CMSDK APB dual timer ("arm,cmsdk-dualtimer"; CMSDK
 * TRM "APB dual-input timers", the SP804 timer of the AMBA kit): two down-counters.
 *
 * Registers (32-bit accesses), timer n (1, 2) at base 0x00 / 0x20:
 *   +0x00 LOAD     writing it also loads VALUE
 *   +0x04 VALUE    the counter (read-only)
 *   +0x08 CONTROL  bit 0 one-shot, 1 32-bit (else 16-bit), 3:2 prescale (0: /1, 1: /16,
 *                  2: /256; 3 is reserved and counts as /256), 5 interrupt enable,
 *                  6 periodic (else free-running), 7 enable
 *   +0x0c INTCLR   any write clears the interrupt (write-only)
 *   +0x10 RIS      bit 0 raw interrupt        +0x14 MIS  RIS & interrupt enable
 *   +0x18 BGLOAD   sets LOAD without touching VALUE (reads LOAD)
 *   0xf00 ITCR     bit 0 integration test mode: the outputs follow ITOP
 *   0xf04 ITOP     bit 0 TIMINT1, bit 1 TIMINT2 (write-only)
 *   0xfd0-0xffc    peripheral and component ID registers
 * Irqs: output 0 combined (TIMINTC = MIS1 | MIS2), 1 timer 1 (TIMINT1), 2 timer 2 (TIMINT2);
 * the MPS2 trees list only the combined line.
 * Timing: one tick per 1/16/256 cycles of the node's clock; the prescaler divides the clock
 * from power-on (tick = floor(cycles / prescale)). VALUE goes V, ..., 0 and then, on the next
 * tick, LOAD (periodic), the maximum 0xffffffff or 0xffff (free-running), or stays at 0
 * (one-shot). Arriving at 0 sets RIS. One event-queue timer per counter stands at the exact
 * picosecond of its next arrival at 0; VALUE is computed from virtual time. */
#include "core/device.h"
#include "core/error.h"
#include "core/irq.h"


enum { R_LOAD = 0x00, R_VALUE = 0x04, R_CONTROL = 0x08, R_INTCLR = 0x0c, R_RIS = 0x10,
       R_MIS = 0x14, R_BGLOAD = 0x18, R_ITCR = 0xf00, R_ITOP = 0xf04, R_PID4 = 0xfd0 };
enum { C_ONESHOT = 0x01, C_SIZE32 = 0x02, C_PRESCALE = 0x0c, C_INTEN = 0x20, C_PERIODIC = 0x40,
       C_ENABLE = 0x80 };

static const uint8_t dualtimer_id[12] = {
	0x04, 0x00, 0x00, 0x00, 0x23, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

typedef struct DualTimer DualTimer;

typedef struct {
	DualTimer *d;
	uint32_t load, control, ris;
	uint32_t v0;            /* VALUE at tick k0 */
	uint64_t k0;
	SocTimer *timer;
} Counter;

struct DualTimer {
	SocDevice dev;
	uint32_t clock_prop;
	bool clock_present;
	char *clocks;

	uint64_t hz;
	uint32_t itcr, itop;
	Counter t[2];
};

static uint64_t prescale(const Counter *c)
{
	return (c->control & C_PRESCALE) == 0 ? 1 : (c->control & C_PRESCALE) == 4 ? 16 : 256;
}

static uint32_t mask(const Counter *c)
{
	return c->control & C_SIZE32 ? 0xffffffffu : 0xffffu;
}

static uint64_t ticks_now(const Counter *c)
{
	return soc_time_to_cycles(soc_dev_now(&c->d->dev), c->d->hz) / prescale(c);
}

/* What VALUE becomes on the tick after it was 0. */
static uint32_t after_zero(const Counter *c)
{
	if (c->control & C_ONESHOT)
		return 0;
	return c->control & C_PERIODIC ? c->load & mask(c) : mask(c);
}

static uint32_t value_now(const Counter *c)
{
	uint64_t e = ticks_now(c) - c->k0;
	uint32_t r = after_zero(c);

	if (!(c->control & C_ENABLE))
		return c->v0;
	if (e <= c->v0)
		return c->v0 - (uint32_t)e;
	if (r == 0)
		return 0;
	return r - (uint32_t)((e - c->v0 - 1) % ((uint64_t)r + 1));
}

static SocTime tick_time(uint64_t tick, uint64_t div, uint64_t hz)
{
	unsigned __int128 ps = ((unsigned __int128)tick * div * SOC_PS_PER_SEC + hz - 1) / hz;
	return ps >= SOC_TIME_NEVER ? SOC_TIME_NEVER : (SocTime)ps;
}

static void update_irqs(DualTimer *d)
{
	bool l1, l2;

	if (d->itcr & 1) {
		l1 = d->itop & 1;
		l2 = d->itop & 2;
	} else {
		l1 = d->t[0].ris && (d->t[0].control & C_INTEN);
		l2 = d->t[1].ris && (d->t[1].control & C_INTEN);
	}
	soc_irq_set(d->dev.irq_out[0], l1 || l2);
	soc_irq_set(d->dev.irq_out[1], l1);
	soc_irq_set(d->dev.irq_out[2], l2);
}

static void rebase(Counter *c, uint32_t value)
{
	c->k0 = ticks_now(c);
	c->v0 = value & mask(c);
	if (!(c->control & C_ENABLE) || (c->v0 == 0 && after_zero(c) == 0)) {
		soc_timer_cancel(c->timer);
		return;
	}
	soc_timer_arm(c->timer, tick_time(c->k0 + (c->v0 ? c->v0 : (uint64_t)after_zero(c) + 1),
	                                  prescale(c), c->d->hz));
}

static void counter_fired(Counter *c)
{
	c->ris = 1;
	rebase(c, 0);
	update_irqs(c->d);
}

static void t1_fired(SocDevice *dev) { counter_fired(&((DualTimer *)dev)->t[0]); }
static void t2_fired(SocDevice *dev) { counter_fired(&((DualTimer *)dev)->t[1]); }

static bool dual_read(void *opaque, uint64_t off, unsigned size, uint64_t *value)
{
	DualTimer *d = opaque;
	(void)size;

	*value = 0;
	if (off < 0x40 && (off & 0x1f) != 0x1c) {
		Counter *c = &d->t[off / 0x20];
		switch (off & 0x1f) {
		case R_LOAD: case R_BGLOAD: *value = c->load; return true;
		case R_VALUE: *value = value_now(c); return true;
		case R_CONTROL: *value = c->control; return true;
		case R_RIS: *value = c->ris; return true;
		case R_MIS: *value = c->ris && (c->control & C_INTEN); return true;
		case R_INTCLR: break;
		}
	} else if (off == R_ITCR) {
		*value = d->itcr;
		return true;
	} else if (off >= R_PID4 && off < R_PID4 + 4 * sizeof dualtimer_id) {
		*value = dualtimer_id[(off - R_PID4) / 4];
		return true;
	}
	soc_dev_guest_error(&d->dev, "read at offset 0x%" G_GINT64_MODIFIER "x: no readable register there", off);
	return true;
}

static bool dual_write(void *opaque, uint64_t off, unsigned size, uint64_t value)
{
	DualTimer *d = opaque;
	uint32_t v = (uint32_t)value;
	(void)size;

	if (off < 0x40 && (off & 0x1f) != 0x1c) {
		Counter *c = &d->t[off / 0x20];
		uint32_t now;
		switch (off & 0x1f) {
		case R_LOAD:
			c->load = v;
			rebase(c, v);
			return true;
		case R_BGLOAD:
			now = value_now(c);
			c->load = v;
			rebase(c, now);
			return true;
		case R_CONTROL:
			now = value_now(c);
			if (v & ~0xefu)
				soc_dev_guest_error(&d->dev, "CONTROL write 0x%x sets reserved bits", v);
			if ((v & C_PRESCALE) == C_PRESCALE)
				soc_dev_guest_error(&d->dev, "CONTROL prescale 3 is reserved (counts as /256)");
			c->control = v & 0xef;
			rebase(c, now);
			update_irqs(d);
			return true;
		case R_INTCLR:
			c->ris = 0;
			update_irqs(d);
			return true;
		}
	} else if (off == R_ITCR) {
		d->itcr = v & 1;
		update_irqs(d);
		return true;
	} else if (off == R_ITOP) {
		d->itop = v & 3;
		update_irqs(d);
		return true;
	}
	soc_dev_guest_error(&d->dev, "write of 0x%x at offset 0x%" G_GINT64_MODIFIER "x: no writable "
	                    "register there", v, off);
	return true;
}

static const SocMmioOps dual_ops = { .read = dual_read, .write = dual_write, .sizes = 4 };

static void dual_reset(SocDevice *dev)
{
	DualTimer *d = (DualTimer *)dev;

	d->itcr = d->itop = 0;
	for (unsigned i = 0; i < 2; i++) {
		Counter *c = &d->t[i];
		c->load = 0;
		c->control = C_INTEN;
		c->ris = 0;
		rebase(c, 0xffffffffu);
	}
	update_irqs(d);
}

static bool dual_realize(SocDevice *dev, GError **err)
{
	DualTimer *d = (DualTimer *)dev;

	if (!soc_dev_clock_hz(dev, d->clock_prop, d->clock_present, d->clocks, &d->hz, err))
		return false;
	d->t[0].d = d->t[1].d = d;
	d->t[0].timer = soc_dev_timer_new(dev, t1_fired);
	d->t[1].timer = soc_dev_timer_new(dev, t2_fired);
	dual_reset(dev);
	return true;
}

static const SocPropDesc dual_props[] = {
	SOC_PROP_U32_OPT("clock-frequency", DualTimer, clock_prop, 0, clock_present),
	SOC_PROP_PHANDLE("clocks", DualTimer, clocks, false),
	SOC_PROP_END
};

const SocDeviceClass soc_arm_cmsdk_dualtimer_class = {
	.name = "arm-cmsdk-dualtimer",
	.compatible = (const char *const[]){ "arm,cmsdk-dualtimer", "arm,cmsdk-dtimer", NULL },
	.description = "Arm CMSDK APB dual timer: two SP804-style down-counters",
	.instance_size = sizeof(DualTimer),
	.props = dual_props,
	.mmio = &dual_ops,
	.n_irq_outputs = 3,
	.realize = dual_realize,
	.reset = dual_reset,
};
