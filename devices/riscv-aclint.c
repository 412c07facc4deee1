/* devices/riscv-aclint.c — RISC-V core-local interruptors: the SiFive CLINT ("sifive,clint0",
 * "riscv,clint0") and the ACLINT devices it was split into ("riscv,aclint-mswi",
 * "riscv,aclint-mtimer", "riscv,aclint-sswi"; riscv-aclint specification 1.0-rc4).
 *
 * Harts: hart index h is the h-th hart named by the node's interrupts-extended, whose entries
 * are taken by position:
 *   CLINT   two per hart, <&intc 3>, <&intc 7>: irq_out[2h] = MSIP, irq_out[2h + 1] = MTIP
 *   MSWI    one per hart (MSIP, cause 3)        SSWI  one per hart (SSIP, cause 1)
 *   MTIMER  one per hart (MTIP, cause 7); none at all for a timer that only has MTIME
 * Registers (32-bit words; the 64-bit ones also as one aligned 8-byte access):
 *   MSIP h      4h       bit 0 drives MSIP (level), other bits read 0
 *   SETSSIP h   4h       writing 1 to bit 0 gives SSIP a rising edge (the line drops and
 *                        rises again, then rests high): the hart sets mip.SSIP on the edge
 *                        and software clears it there; reads 0
 *   MTIMECMP h  8h       MTIP = MTIME >= MTIMECMP (unsigned)
 *   MTIME                the 64-bit counter
 * Windows: CLINT one reg entry, MSIP at 0, MTIMECMP at 0x4000, MTIME at 0xbff8. MSWI, SSWI
 * one entry. MTIMER either two entries <MTIME> <MTIMECMP> (the Linux/OpenSBI binding, QEMU's
 * virt with aclint=on) or one entry of MTIMECMP registers, with MTIME at 0x7ff8 when the
 * entry is at least 0x8000 bytes (the CLINT's timer half on its own).
 * Time: MTIME = cycles of the timebase since power-on + an offset set by writes to MTIME.
 * The timebase is the node's timebase-frequency, else its clock-frequency, else /cpus
 * timebase-frequency. One event-queue timer per device stands at the next picosecond at
 * which some hart's MTIP changes, so the level is exact whenever anyone looks.
 * Reset: MSIP 0, MTIMECMP all ones (MTIP low), the MTIME offset 0. */
#include "core/device.h"
#include "core/error.h"
#include "core/irq.h"

enum { KIND_CLINT, KIND_MSWI, KIND_MTIMER, KIND_SSWI };

#define ACLINT_MAX_HARTS 4095u
#define NO_REG UINT64_MAX

#define CLINT_MTIMECMP 0x4000u
#define CLINT_MTIME 0xbff8u
#define CLINT_SIZE 0xc000u
#define MTIMER_MTIME 0x7ff8u          /* in a one-entry MTIMER of 0x8000 bytes */

typedef struct Aclint Aclint;

/* Where each kind of register sits in one window, NO_REG when it has none. */
typedef struct {
	Aclint *a;
	uint64_t msip_at, setssip_at, mtimecmp_at, mtime_at;
} AclintWindow;

struct Aclint {
	SocDevice dev;
	uint64_t timebase_prop, clock_prop;
	bool no_64bit;

	unsigned kind, nharts;
	uint64_t hz;
	uint64_t mtime_offset;          /* MTIME - cycles(now), modulo 2^64 */
	uint32_t *msip;
	uint64_t *mtimecmp;
	bool *mtip;
	SocTimer *timer;
	AclintWindow win[2];
};

typedef enum { R_NONE, R_MSIP, R_SETSSIP, R_MTIMECMP, R_MTIME } RegKind;

static SocIrq *msip_line(Aclint *a, unsigned h)
{
	return a->dev.irq_out[a->kind == KIND_CLINT ? 2 * h : h];
}

static SocIrq *mtip_line(Aclint *a, unsigned h)
{
	return a->dev.irq_out[a->kind == KIND_CLINT ? 2 * h + 1 : h];
}

static bool has_timer(const Aclint *a)
{
	return a->kind == KIND_CLINT || a->kind == KIND_MTIMER;
}

/* ---- time ----------------------------------------------------------------------------------- */

/* A timer counting the platform timebase shares its offset with the harts' time CSR (the
 * privileged spec's "time is a shadow of mtime"); one with its own clock keeps its own. */
static bool platform_timebase(const Aclint *a)
{
	return a->hz == soc_dev_timebase_hz(&a->dev);
}

static uint64_t offset_of(const Aclint *a)
{
	return platform_timebase(a) ? soc_dev_timebase_offset(&a->dev) : a->mtime_offset;
}

static uint64_t mtime_now(const Aclint *a)
{
	return soc_time_to_cycles(soc_dev_now(&a->dev), a->hz) + offset_of(a);
}

/* The first picosecond at which the timebase has counted base + delta cycles, i.e. the least
 * t with soc_time_to_cycles(t) >= base + delta. */
static SocTime cycle_deadline(uint64_t base, uint64_t delta, uint64_t hz)
{
	unsigned __int128 n = (unsigned __int128)base + delta;
	unsigned __int128 ps = (n * SOC_PS_PER_SEC + hz - 1) / hz;
	return ps >= SOC_TIME_NEVER ? SOC_TIME_NEVER : (SocTime)ps;
}

/* Bring every MTIP to its level now and arm the timer for the next change. MTIP rises when
 * MTIME reaches MTIMECMP and falls again only when MTIME wraps past 2^64 - 1. */
static void timer_update(Aclint *a)
{
	uint64_t base, mtime;
	SocTime next = SOC_TIME_NEVER;

	if (!has_timer(a))
		return;
	base = soc_time_to_cycles(soc_dev_now(&a->dev), a->hz);
	mtime = base + offset_of(a);
	for (unsigned h = 0; h < a->nharts; h++) {
		bool level = mtime >= a->mtimecmp[h];
		uint64_t delta = 0;
		SocTime when;

		if (level != a->mtip[h]) {
			a->mtip[h] = level;
			soc_irq_set(mtip_line(a, h), level);
		}
		if (!level)
			delta = a->mtimecmp[h] - mtime;
		else if (a->mtimecmp[h] != 0)
			delta = 0 - mtime;             /* cycles until the wrap; mtime != 0 here */
		if (!delta)
			continue;
		when = cycle_deadline(base, delta, a->hz);
		if (when < next)
			next = when;
	}
	if (next == SOC_TIME_NEVER)
		soc_timer_cancel(a->timer);
	else
		soc_timer_arm(a->timer, next);
}

static void timer_fired(SocDevice *dev)
{
	timer_update((Aclint *)dev);
}

/* ---- registers ------------------------------------------------------------------------------ */

static bool in_block(uint64_t off, uint64_t at, uint64_t len, uint64_t *rel)
{
	if (at == NO_REG || off < at || off - at >= len)
		return false;
	*rel = off - at;
	return true;
}

static RegKind decode(const AclintWindow *w, uint64_t off, unsigned *hart, unsigned *sub)
{
	const unsigned n = w->a->nharts;
	uint64_t rel;

	*hart = 0;
	if (in_block(off, w->mtime_at, 8, &rel)) {
		*sub = (unsigned)rel;
		return R_MTIME;
	}
	if (in_block(off, w->mtimecmp_at, 8ULL * n, &rel)) {
		*hart = (unsigned)(rel / 8);
		*sub = (unsigned)(rel % 8);
		return R_MTIMECMP;
	}
	if (in_block(off, w->msip_at, 4ULL * n, &rel)) {
		*hart = (unsigned)(rel / 4);
		*sub = 0;
		return R_MSIP;
	}
	if (in_block(off, w->setssip_at, 4ULL * n, &rel)) {
		*hart = (unsigned)(rel / 4);
		*sub = 0;
		return R_SETSSIP;
	}
	return R_NONE;
}

static uint32_t read32(AclintWindow *w, uint64_t off)
{
	Aclint *a = w->a;
	unsigned h, sub;

	switch (decode(w, off, &h, &sub)) {
	case R_MSIP:
		return a->msip[h];
	case R_SETSSIP:
		return 0;
	case R_MTIMECMP:
		return (uint32_t)(a->mtimecmp[h] >> (8 * sub));
	case R_MTIME:
		return (uint32_t)(mtime_now(a) >> (8 * sub));
	case R_NONE:
		break;
	}
	soc_dev_guest_error(&a->dev, "read at offset 0x%" G_GINT64_MODIFIER "x: no register there "
	                    "(%u harts)", off, a->nharts);
	return 0;
}

static uint64_t replace_half(uint64_t old, unsigned sub, uint32_t v)
{
	return sub ? (old & 0xffffffffULL) | ((uint64_t)v << 32) : (old & ~0xffffffffULL) | v;
}

static void set_mtime(Aclint *a, uint64_t value)
{
	a->mtime_offset = value - soc_time_to_cycles(soc_dev_now(&a->dev), a->hz);
	if (platform_timebase(a))
		soc_dev_set_timebase_offset(&a->dev, a->mtime_offset);
	timer_update(a);
}

static void write32(AclintWindow *w, uint64_t off, uint32_t v)
{
	Aclint *a = w->a;
	unsigned h, sub;

	switch (decode(w, off, &h, &sub)) {
	case R_MSIP:
		a->msip[h] = v & 1;
		soc_irq_set(msip_line(a, h), a->msip[h]);
		return;
	case R_SETSSIP:
		/* An edge for every write, whether or not the hart cleared SSIP since the last
		 * one: a hart that copies the line into mip.SSIP on each change (as socemu's
		 * does) and one that latches rising edges both end up with SSIP set. */
		if (v & 1) {
			soc_irq_lower(msip_line(a, h));
			soc_irq_raise(msip_line(a, h));
		}
		return;
	case R_MTIMECMP:
		a->mtimecmp[h] = replace_half(a->mtimecmp[h], sub, v);
		timer_update(a);
		return;
	case R_MTIME:
		set_mtime(a, replace_half(mtime_now(a), sub, v));
		return;
	case R_NONE:
		break;
	}
	soc_dev_guest_error(&a->dev, "write of 0x%x at offset 0x%" G_GINT64_MODIFIER "x: no register "
	                    "there (%u harts)", v, off, a->nharts);
}

static bool aclint_read(void *opaque, uint64_t off, unsigned size, uint64_t *value)
{
	AclintWindow *w = opaque;
	unsigned h, sub;

	if (size == 8) {
		/* One 64-bit register read whole; anything else as two words. */
		RegKind k = decode(w, off, &h, &sub);
		if (k == R_MTIME && sub == 0) {
			*value = mtime_now(w->a);
			return true;
		}
		if (k == R_MTIMECMP && sub == 0) {
			*value = w->a->mtimecmp[h];
			return true;
		}
		*value = read32(w, off) | ((uint64_t)read32(w, off + 4) << 32);
		return true;
	}
	*value = read32(w, off);
	return true;
}

static bool aclint_write(void *opaque, uint64_t off, unsigned size, uint64_t value)
{
	AclintWindow *w = opaque;
	unsigned h, sub;

	if (size == 8) {
		/* A whole 64-bit write changes the register once, so MTIP never sees a value that
		 * is half old, half new. */
		RegKind k = decode(w, off, &h, &sub);
		if (k == R_MTIME && sub == 0) {
			set_mtime(w->a, value);
			return true;
		}
		if (k == R_MTIMECMP && sub == 0) {
			w->a->mtimecmp[h] = value;
			timer_update(w->a);
			return true;
		}
		write32(w, off, (uint32_t)value);
		write32(w, off + 4, (uint32_t)(value >> 32));
		return true;
	}
	write32(w, off, (uint32_t)value);
	return true;
}

static const SocMmioOps aclint_ops = {
	.read = aclint_read, .write = aclint_write, .sizes = 4 | 8,
};

/* For nodes that say their bus has no 64-bit accesses (OpenSBI's clint,has-no-64bit-mmio). */
static const SocMmioOps aclint_ops32 = {
	.read = aclint_read, .write = aclint_write, .sizes = 4,
};

/* ---- life cycle ------------------------------------------------------------------------------ */

static void aclint_reset(SocDevice *dev)
{
	Aclint *a = (Aclint *)dev;

	a->mtime_offset = 0;
	for (unsigned h = 0; h < a->nharts; h++) {
		if (a->kind == KIND_CLINT || a->kind == KIND_MSWI) {
			a->msip[h] = 0;
			soc_irq_lower(msip_line(a, h));
		}
		if (a->kind == KIND_SSWI)
			soc_irq_lower(msip_line(a, h));
		if (has_timer(a)) {
			a->mtimecmp[h] = UINT64_MAX;
			a->mtip[h] = false;
			soc_irq_lower(mtip_line(a, h));
		}
	}
	timer_update(a);
}

static void aclint_finalize(SocDevice *dev)
{
	Aclint *a = (Aclint *)dev;
	g_free(a->msip);
	g_free(a->mtimecmp);
	g_free(a->mtip);
}

static void window_init(AclintWindow *w, Aclint *a)
{
	*w = (AclintWindow){ a, NO_REG, NO_REG, NO_REG, NO_REG };
}

static bool need_size(Aclint *a, unsigned i, uint64_t size, const char *what, GError **err)
{
	if (a->dev.windows[i].size >= size)
		return true;
	g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
	            "%s: reg entry %u is 0x%" G_GINT64_MODIFIER "x bytes, too small for %s "
	            "(0x%" G_GINT64_MODIFIER "x bytes)", a->dev.path, i, a->dev.windows[i].size, what, size);
	return false;
}

static bool aclint_setup(SocDevice *dev, unsigned kind, GError **err)
{
	Aclint *a = (Aclint *)dev;
	unsigned per_hart = kind == KIND_CLINT ? 2 : 1;
	unsigned max_windows = kind == KIND_MTIMER ? 2 : 1;
	const SocMmioOps *ops = a->no_64bit ? &aclint_ops32 : &aclint_ops;

	a->kind = kind;
	if (dev->n_irq_out % per_hart) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
		            "%s: interrupts-extended has %u entries; a CLINT needs two per hart "
		            "(MSIP, MTIP)", dev->path, dev->n_irq_out);
		return false;
	}
	a->nharts = dev->n_irq_out / per_hart;
	if (a->nharts == 0 && kind != KIND_MTIMER) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
		            "%s: interrupts-extended names no hart", dev->path);
		return false;
	}
	if (a->nharts > ACLINT_MAX_HARTS) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE, "%s: %u harts, at most %u are possible",
		            dev->path, a->nharts, ACLINT_MAX_HARTS);
		return false;
	}
	if (dev->n_windows == 0 || dev->n_windows > max_windows) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE, "%s: reg has %u entries, expected %s",
		            dev->path, dev->n_windows,
		            max_windows == 2 ? "1 (MTIMECMP) or 2 (MTIME, MTIMECMP)" : "1");
		return false;
	}

	for (unsigned i = 0; i < dev->n_windows; i++)
		window_init(&a->win[i], a);
	switch (kind) {
	case KIND_CLINT:
		if (!need_size(a, 0, CLINT_SIZE, "the CLINT registers", err))
			return false;
		a->win[0].msip_at = 0;
		a->win[0].mtimecmp_at = CLINT_MTIMECMP;
		a->win[0].mtime_at = CLINT_MTIME;
		break;
	case KIND_MSWI:
		if (!need_size(a, 0, 4ULL * a->nharts, "one MSIP register per hart", err))
			return false;
		a->win[0].msip_at = 0;
		break;
	case KIND_SSWI:
		if (!need_size(a, 0, 4ULL * a->nharts, "one SETSSIP register per hart", err))
			return false;
		a->win[0].setssip_at = 0;
		break;
	case KIND_MTIMER: {
		unsigned cmp = dev->n_windows - 1;
		if (dev->n_windows == 2) {
			if (!need_size(a, 0, 8, "MTIME", err))
				return false;
			a->win[0].mtime_at = 0;
		} else if (dev->windows[0].size >= MTIMER_MTIME + 8) {
			a->win[0].mtime_at = MTIMER_MTIME;
		}
		if (!need_size(a, cmp, 8ULL * a->nharts, "one MTIMECMP register per hart", err))
			return false;
		a->win[cmp].mtimecmp_at = 0;
		break;
	}
	}
	for (unsigned i = 0; i < dev->n_windows; i++)
		soc_dev_set_window_mmio(dev, i, ops, &a->win[i]);

	if (has_timer(a)) {
		a->hz = a->timebase_prop ? a->timebase_prop
		      : a->clock_prop ? a->clock_prop : soc_dev_timebase_hz(dev);
		if (!a->hz) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
			            "%s: no timebase for MTIME: /cpus has no timebase-frequency and the node "
			            "has neither timebase-frequency nor clock-frequency", dev->path);
			return false;
		}
		a->mtimecmp = g_new0(uint64_t, MAX(a->nharts, 1));
		a->mtip = g_new0(bool, MAX(a->nharts, 1));
		a->timer = soc_dev_timer_new(dev, timer_fired);
	}
	if (kind == KIND_CLINT || kind == KIND_MSWI)
		a->msip = g_new0(uint32_t, a->nharts);
	aclint_reset(dev);
	return true;
}

static bool clint_realize(SocDevice *dev, GError **err) { return aclint_setup(dev, KIND_CLINT, err); }
static bool mswi_realize(SocDevice *dev, GError **err) { return aclint_setup(dev, KIND_MSWI, err); }
static bool mtimer_realize(SocDevice *dev, GError **err) { return aclint_setup(dev, KIND_MTIMER, err); }
static bool sswi_realize(SocDevice *dev, GError **err) { return aclint_setup(dev, KIND_SSWI, err); }

static const SocPropDesc clint_props[] = {
	SOC_PROP_U64("timebase-frequency", Aclint, timebase_prop, 0),
	SOC_PROP_U64("clock-frequency", Aclint, clock_prop, 0),
	SOC_PROP_BOOL("clint,has-no-64bit-mmio", Aclint, no_64bit),
	SOC_PROP_END
};

static const SocPropDesc mtimer_props[] = {
	SOC_PROP_U64("timebase-frequency", Aclint, timebase_prop, 0),
	SOC_PROP_U64("clock-frequency", Aclint, clock_prop, 0),
	SOC_PROP_BOOL("mtimer,no-64bit-mmio", Aclint, no_64bit),
	SOC_PROP_END
};

const SocDeviceClass soc_sifive_clint_class = {
	.name = "sifive-clint",
	.compatible = (const char *const[]){ "sifive,clint0", "riscv,clint0", NULL },
	.description = "SiFive CLINT: machine software interrupts, MTIME and per-hart MTIMECMP",
	.instance_size = sizeof(Aclint),
	.props = clint_props,
	.mmio = &aclint_ops,
	.realize = clint_realize,
	.reset = aclint_reset,
	.finalize = aclint_finalize,
};

const SocDeviceClass soc_riscv_aclint_mswi_class = {
	.name = "riscv-aclint-mswi",
	.compatible = (const char *const[]){ "riscv,aclint-mswi", NULL },
	.description = "RISC-V ACLINT machine-level software interrupts (MSIP per hart)",
	.instance_size = sizeof(Aclint),
	.mmio = &aclint_ops,
	.realize = mswi_realize,
	.reset = aclint_reset,
	.finalize = aclint_finalize,
};

const SocDeviceClass soc_riscv_aclint_mtimer_class = {
	.name = "riscv-aclint-mtimer",
	.compatible = (const char *const[]){ "riscv,aclint-mtimer", NULL },
	.description = "RISC-V ACLINT machine-level timer (MTIME, MTIMECMP per hart)",
	.instance_size = sizeof(Aclint),
	.props = mtimer_props,
	.mmio = &aclint_ops,
	.realize = mtimer_realize,
	.reset = aclint_reset,
	.finalize = aclint_finalize,
};

const SocDeviceClass soc_riscv_aclint_sswi_class = {
	.name = "riscv-aclint-sswi",
	.compatible = (const char *const[]){ "riscv,aclint-sswi", NULL },
	.description = "RISC-V ACLINT supervisor-level software interrupts (SETSSIP per hart)",
	.instance_size = sizeof(Aclint),
	.mmio = &aclint_ops,
	.realize = sswi_realize,
	.reset = aclint_reset,
	.finalize = aclint_finalize,
};
