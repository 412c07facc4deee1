/* devices/sifive-plic.c — the RISC-V Platform-Level Interrupt Controller ("sifive,plic-1.0.0",
 * "riscv,plic0"; RISC-V PLIC specification 1.0.0, Linux binding
 * interrupt-controller/sifive,plic-1.0.0.yaml).
 *
 * Interface: one window of 32-bit registers:
 *   0x000000 + 4 * id              priority of source id (1..ndev), WARL: socemu,priority-bits
 *   0x001000 + 4 * w               pending bits of sources 32w..32w+31 (read-only)
 *   0x002000 + 0x80 * c + 4 * w    enable bits of context c
 *   0x200000 + 0x1000 * c          priority threshold of context c (same WARL bits)
 *   0x200004 + 0x1000 * c          claim (read) / complete (write) of context c
 * Sources: `riscv,ndev` level-sensitive gateways; input in<id> is source id (in0 exists but
 * nothing can be connected to it: id 0 means "no interrupt"). #interrupt-cells = 1, the
 * source id. Contexts: entry c of the node's interrupts-extended is context c and is driven
 * by irq_out[c], high while some pending, enabled source has a priority above the context's
 * threshold.
 * Gateway (spec, "Interrupt Gateways"): a high level makes the source pending unless it is
 * pending or claimed already; a claim clears pending and holds the gateway until the
 * completion; a completion re-opens it, and a level still high pends again. A level that
 * falls while pending leaves the pending bit set (the gateway cannot retract a request).
 * Claim returns the enabled pending source of highest priority (ties: the lowest id) with
 * priority above 0, whatever the threshold (the spec: claims are not affected by the
 * threshold), or 0. */
#include "core/device.h"
#include "core/error.h"
#include "core/irq.h"

#include <string.h>

#define PLIC_MAX_SOURCES 1023u
#define PLIC_MAX_CONTEXTS 15872u
#define PLIC_WORDS 32u                 /* bit words of the pending and enable arrays */

#define PLIC_PRIORITY 0x000000u
#define PLIC_PENDING 0x001000u
#define PLIC_ENABLE 0x002000u
#define PLIC_ENABLE_STRIDE 0x80u
#define PLIC_CONTEXT 0x200000u
#define PLIC_CONTEXT_STRIDE 0x1000u

typedef struct {
	SocDevice dev;
	uint32_t ndev, priority_bits;

	unsigned nctx, nwords;
	uint32_t prio_mask;
	uint32_t priority[PLIC_MAX_SOURCES + 1];
	uint32_t pending[PLIC_WORDS];
	uint32_t claimed[PLIC_WORDS];     /* in service: the gateway waits for the completion */
	uint32_t level[PLIC_WORDS];       /* the inputs' levels */
	uint32_t valid[PLIC_WORDS];       /* bits of existing sources 1..ndev */
	uint32_t *enable;                 /* nctx * nwords */
	uint32_t *threshold;              /* nctx */
	bool *eip;                        /* nctx: the level each output is at */
} Plic;

static bool bit(const uint32_t *words, unsigned id)
{
	return words[id / 32] & (1u << (id % 32));
}

static void set_bit(uint32_t *words, unsigned id, bool on)
{
	if (on)
		words[id / 32] |= 1u << (id % 32);
	else
		words[id / 32] &= ~(1u << (id % 32));
}

static uint32_t *ctx_enable(Plic *p, unsigned ctx)
{
	return p->enable + (size_t)ctx * p->nwords;
}

/* The enabled pending source of highest priority above `floor` for a context, 0 if none. */
static unsigned best_source(Plic *p, unsigned ctx, uint32_t floor)
{
	const uint32_t *en = ctx_enable(p, ctx);
	unsigned best = 0;
	uint32_t best_prio = floor;

	for (unsigned w = 0; w < p->nwords; w++) {
		uint32_t m = p->pending[w] & en[w];
		while (m) {
			unsigned id = w * 32 + (unsigned)__builtin_ctz(m);
			m &= m - 1;
			/* Strictly greater: in ascending id order, the lowest id wins a tie. */
			if (p->priority[id] > best_prio) {
				best_prio = p->priority[id];
				best = id;
			}
		}
	}
	return best;
}

static void update(Plic *p)
{
	for (unsigned c = 0; c < p->nctx; c++) {
		bool level = best_source(p, c, p->threshold[c]) != 0;
		if (level != p->eip[c]) {
			p->eip[c] = level;
			soc_irq_set(p->dev.irq_out[c], level);
		}
	}
}

/* The gateway forwards a request when the level is high and no request of the source is
 * outstanding (pending or in service). */
static void gateway(Plic *p, unsigned id)
{
	if (bit(p->level, id) && !bit(p->claimed, id))
		set_bit(p->pending, id, true);
}

static void plic_input(SocDevice *dev, unsigned n, int level)
{
	Plic *p = (Plic *)dev;
	if (n == 0 || n > p->ndev)
		return;
	set_bit(p->level, n, level);
	gateway(p, n);
	update(p);
}

static uint32_t claim(Plic *p, unsigned ctx)
{
	unsigned id = best_source(p, ctx, 0);
	if (id) {
		set_bit(p->pending, id, false);
		set_bit(p->claimed, id, true);
		update(p);
	}
	return id;
}

static void complete(Plic *p, unsigned ctx, uint32_t id)
{
	if (id == 0 || id > p->ndev) {
		soc_dev_guest_error(&p->dev, "context %u: completion of source %u, which does not exist "
		                    "(1..%u)", ctx, id, p->ndev);
		return;
	}
	/* The spec: a completion for a source not enabled for the context is ignored. */
	if (!bit(ctx_enable(p, ctx), id)) {
		soc_dev_guest_error(&p->dev, "context %u: completion of source %u, which is not enabled "
		                    "for it: ignored", ctx, id);
		return;
	}
	set_bit(p->claimed, id, false);
	gateway(p, id);
	update(p);
}

/* ---- registers ------------------------------------------------------------------------------ */

static void bad_offset(Plic *p, const char *what, uint64_t off)
{
	soc_dev_guest_error(&p->dev, "%s at offset 0x%" G_GINT64_MODIFIER "x: no register there "
	                    "(%u sources, %u contexts)", what, off, p->ndev, p->nctx);
}

static bool plic_read(void *opaque, uint64_t off, unsigned size, uint64_t *value)
{
	Plic *p = opaque;

	*value = 0;
	if (off < PLIC_PENDING) {
		unsigned id = (unsigned)(off / 4);
		if (id >= 1 && id <= p->ndev)
			*value = p->priority[id];
		else
			bad_offset(p, "read", off);
	} else if (off < PLIC_PENDING + 4 * PLIC_WORDS) {
		unsigned w = (unsigned)((off - PLIC_PENDING) / 4);
		*value = w < p->nwords ? p->pending[w] : 0;
	} else if (off >= PLIC_ENABLE && off < PLIC_ENABLE + (uint64_t)PLIC_ENABLE_STRIDE * p->nctx) {
		unsigned ctx = (unsigned)((off - PLIC_ENABLE) / PLIC_ENABLE_STRIDE);
		unsigned w = (unsigned)((off - PLIC_ENABLE) % PLIC_ENABLE_STRIDE / 4);
		*value = w < p->nwords ? ctx_enable(p, ctx)[w] : 0;
	} else if (off >= PLIC_CONTEXT && off < PLIC_CONTEXT + (uint64_t)PLIC_CONTEXT_STRIDE * p->nctx) {
		unsigned ctx = (unsigned)((off - PLIC_CONTEXT) / PLIC_CONTEXT_STRIDE);
		unsigned reg = (unsigned)((off - PLIC_CONTEXT) % PLIC_CONTEXT_STRIDE);
		if (reg == 0)
			*value = p->threshold[ctx];
		else if (reg == 4)
			*value = claim(p, ctx);
		else
			bad_offset(p, "read", off);
	} else {
		bad_offset(p, "read", off);
	}
	return true;
}

static bool plic_write(void *opaque, uint64_t off, unsigned size, uint64_t value)
{
	Plic *p = opaque;
	uint32_t v = (uint32_t)value;

	if (off < PLIC_PENDING) {
		unsigned id = (unsigned)(off / 4);
		if (id >= 1 && id <= p->ndev) {
			p->priority[id] = v & p->prio_mask;
			update(p);
		} else {
			bad_offset(p, "write", off);
		}
	} else if (off < PLIC_PENDING + 4 * PLIC_WORDS) {
		soc_dev_guest_error(&p->dev, "write of 0x%x to the read-only pending bits at offset 0x%"
		                    G_GINT64_MODIFIER "x", v, off);
	} else if (off >= PLIC_ENABLE && off < PLIC_ENABLE + (uint64_t)PLIC_ENABLE_STRIDE * p->nctx) {
		unsigned ctx = (unsigned)((off - PLIC_ENABLE) / PLIC_ENABLE_STRIDE);
		unsigned w = (unsigned)((off - PLIC_ENABLE) % PLIC_ENABLE_STRIDE / 4);
		/* Bits of sources that do not exist are hardwired to 0 (WARL). */
		if (w < p->nwords) {
			ctx_enable(p, ctx)[w] = v & p->valid[w];
			update(p);
		}
	} else if (off >= PLIC_CONTEXT && off < PLIC_CONTEXT + (uint64_t)PLIC_CONTEXT_STRIDE * p->nctx) {
		unsigned ctx = (unsigned)((off - PLIC_CONTEXT) / PLIC_CONTEXT_STRIDE);
		unsigned reg = (unsigned)((off - PLIC_CONTEXT) % PLIC_CONTEXT_STRIDE);
		if (reg == 0) {
			p->threshold[ctx] = v & p->prio_mask;
			update(p);
		} else if (reg == 4) {
			complete(p, ctx, v);
		} else {
			bad_offset(p, "write", off);
		}
	} else {
		bad_offset(p, "write", off);
	}
	return true;
}

/* ---- life cycle ------------------------------------------------------------------------------ */

static void plic_reset(SocDevice *dev)
{
	Plic *p = (Plic *)dev;

	memset(p->priority, 0, sizeof p->priority);
	memset(p->pending, 0, sizeof p->pending);
	memset(p->claimed, 0, sizeof p->claimed);
	memset(p->enable, 0, sizeof(uint32_t) * p->nctx * p->nwords);
	memset(p->threshold, 0, sizeof(uint32_t) * p->nctx);
	/* Sources whose level is high across the reset are requested again (a request that
	 * was lost would never come back from a level-sensitive device). */
	for (unsigned id = 1; id <= p->ndev; id++)
		gateway(p, id);
	for (unsigned c = 0; c < p->nctx; c++) {
		p->eip[c] = false;
		soc_irq_lower(dev->irq_out[c]);
	}
	update(p);
}

static bool plic_realize(SocDevice *dev, GError **err)
{
	Plic *p = (Plic *)dev;
	uint64_t need;

	p->nctx = dev->n_irq_out;
	if (p->nctx == 0) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
		            "%s: interrupts-extended must list the contexts (hart interrupt lines, "
		            "e.g. <&cpu0_intc 11>, <&cpu0_intc 9>)", dev->path);
		return false;
	}
	if (p->nctx > PLIC_MAX_CONTEXTS) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE, "%s: %u contexts, at most %u are possible",
		            dev->path, p->nctx, PLIC_MAX_CONTEXTS);
		return false;
	}
	need = PLIC_CONTEXT + (uint64_t)PLIC_CONTEXT_STRIDE * (p->nctx - 1) + 8;
	if (dev->n_windows != 1 || dev->windows[0].size < need) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
		            "%s: reg must be one entry of at least 0x%" G_GINT64_MODIFIER "x bytes "
		            "(the registers of %u contexts)", dev->path, need, p->nctx);
		return false;
	}
	p->nwords = (p->ndev + 1 + 31) / 32;
	p->prio_mask = p->priority_bits >= 32 ? UINT32_MAX : (1u << p->priority_bits) - 1;
	for (unsigned id = 1; id <= p->ndev; id++)
		set_bit(p->valid, id, true);
	p->enable = g_new0(uint32_t, (size_t)p->nctx * p->nwords);
	p->threshold = g_new0(uint32_t, p->nctx);
	p->eip = g_new0(bool, p->nctx);
	soc_dev_init_irq_inputs(dev, p->ndev + 1, plic_input);
	plic_reset(dev);
	return true;
}

static void plic_finalize(SocDevice *dev)
{
	Plic *p = (Plic *)dev;
	g_free(p->enable);
	g_free(p->threshold);
	g_free(p->eip);
}

static bool plic_xlate(SocDevice *dev, const uint32_t *cells, unsigned ncells, unsigned *input,
                       GError **err)
{
	Plic *p = (Plic *)dev;

	if (ncells != 1) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE, "%s: specifier has %u cells, expected 1",
		            dev->path, ncells);
		return false;
	}
	if (cells[0] == 0 || cells[0] > p->ndev) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
		            "%s: interrupt source %u does not exist (riscv,ndev = %u: sources 1..%u)",
		            dev->path, cells[0], p->ndev, p->ndev);
		return false;
	}
	*input = cells[0];
	return true;
}

static const SocPropDesc plic_props[] = {
	{ .name = "riscv,ndev", .type = SOC_PROP_TYPE_U32, .offset = offsetof(Plic, ndev),
	  .required = true, .min = 1, .max = PLIC_MAX_SOURCES },
	SOC_PROP_U32_RANGE("socemu,priority-bits", Plic, priority_bits, 3, 1, 32),
	SOC_PROP_END
};

static const SocMmioOps plic_ops = {
	.read = plic_read, .write = plic_write, .sizes = 4,
};

const SocDeviceClass soc_sifive_plic_class = {
	.name = "sifive-plic",
	.compatible = (const char *const[]){ "sifive,plic-1.0.0", "riscv,plic0", NULL },
	.description = "RISC-V PLIC: level gateways, priorities, per-context enables, threshold, claim",
	.instance_size = sizeof(Plic),
	.props = plic_props,
	.mmio = &plic_ops,
	.interrupt_cells = 1,
	.realize = plic_realize,
	.reset = plic_reset,
	.finalize = plic_finalize,
	.irq_xlate = plic_xlate,
};
