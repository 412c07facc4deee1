/* cpus/arm/cortex-m.c — the Cortex-M classes: the core models, creation from the cpu node,
 * the core parts attached from their own nodes (NVIC, SysTick, MPU), reset, inputs and
 * register access. See arm.h for the tree interface. */
#include "cpus/arm/arm-internal.h"
#include "core/error.h"
#include "core/fdt.h"

#include <libfdt.h>

enum { M0, M0P, M3, M4, M4F, M7, M33, M33F };

#define FT_V7 (ARM_FT_V6M | ARM_FT_V7M)
#define FT_V7E (FT_V7 | ARM_FT_DSP)
#define FT_V8 (FT_V7E | ARM_FT_V8M)

/* CPUID, ID registers and media and FP feature registers as the cores' Technical Reference
 * Manuals give them. */
static const ArmCoreModel models[] = {
	[M0] = { "cortex-m0", "arm,cortex-m0", ARM_FT_V6M, 0x410CC200u, 0, 2, 32, 0x208, 0x208, 0, 0, 0,
	         0, 0, 0, 0, { 0 }, 2 },
	[M0P] = { "cortex-m0+", "arm,cortex-m0+", ARM_FT_V6M, 0x410CC601u, 8, 2, 32, 0x208, 0x208, 0, 0, 0,
	          0, 0, 0, 0, { 0 }, 2 },
	[M3] = { "cortex-m3", "arm,cortex-m3", FT_V7, 0x412FC231u, 8, 3, 496, 0x200, 0, 0, 0, 0,
	         0x30, 0x200, 0x100000, 0x30, { 0x01141110, 0x02111000, 0x21112231, 0x01111110, 0x01310132 }, 4 },
	[M4] = { "cortex-m4", "arm,cortex-m4", FT_V7E, 0x410FC241u, 8, 3, 496, 0x200, 0, 0, 0, 0,
	         0x30, 0x200, 0x100000, 0x100030, { 0x01101110, 0x02111000, 0x21112231, 0x01111110, 0x01310132 }, 4 },
	[M4F] = { "cortex-m4f", "arm,cortex-m4f", FT_V7E | ARM_FT_FP, 0x410FC241u, 8, 3, 496, 0x200, 0,
	          0x10110021, 0x11000011, 0,
	          0x30, 0x200, 0x100000, 0x100030, { 0x01101110, 0x02111000, 0x21112231, 0x01111110, 0x01310132 }, 4 },
	[M7] = { "cortex-m7", "arm,cortex-m7", FT_V7E | ARM_FT_FP | ARM_FT_FPDP | ARM_FT_FPV5, 0x411FC272u, 16, 3,
	         240, 0x40200, 0, 0x10110221, 0x12000011, 0x40,
	         0x30, 0x200, 0x100000, 0x100030, { 0x01101110, 0x02112000, 0x20232231, 0x01111131, 0x01310132 }, 4 },
	[M33] = { "cortex-m33", "arm,cortex-m33", FT_V8, 0x410FD213u, 8, 3, 480, 0x201, 0, 0, 0, 0,
	          0x30, 0x200, 0x200000, 0x101F40, { 0x01101110, 0x02212000, 0x20232232, 0x01111131, 0x01310132 }, 4 },
	[M33F] = { "cortex-m33f", "arm,cortex-m33f", FT_V8 | ARM_FT_FP | ARM_FT_FPV5, 0x410FD213u, 8, 3, 480,
	           0x201, 0, 0x10110021, 0x11000011, 0x40,
	           0x30, 0x200, 0x200000, 0x101F40, { 0x01101110, 0x02212000, 0x20232232, 0x01111131, 0x01310132 }, 4 },
};

static const char *const owned[] = {
	"arm,v6m-nvic", "arm,v7m-nvic", "arm,v8m-nvic", "arm,armv7m-systick",
	"arm,armv6m-mpu", "arm,armv7m-mpu", "arm,armv8m-mpu", NULL,
};

/* ---- creation ------------------------------------------------------------------------------ */

static SocCpu *arm_create(const ArmCoreModel *m, const SocCpuClass *cls, const SocCpuConfig *cfg, GError **err)
{
	ArmCpu *c = g_new0(ArmCpu, 1);
	uint64_t rv = 0;
	int r;

	soc_cpu_init_common(&c->cpu, cls, cfg);
	c->model = m;
	c->feat = m->features;
	r = soc_fdt_read_u64(cfg->fdt, cfg->node, "socemu,reset-vector", &rv, err);
	if (r < 0)
		goto fail;
	if (r > 0 && (rv > UINT32_MAX || (rv & 0x7F))) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
		            "%s: socemu,reset-vector 0x%" G_GINT64_MODIFIER "x is not a vector table address "
		            "(32-bit, 128-byte aligned)", cfg->path, rv);
		goto fail;
	}
	c->reset_vtor = (uint32_t)rv;
	c->n_irqs = m->max_irqs;
	c->prio_bits = m->prio_bits;
	c->prio_mask = (uint8_t)(0xFF << (8 - c->prio_bits));
	c->mpu_nregions = m->mpu_regions;
	c->irq_lines = g_new0(SocIrq *, m->max_irqs);
	arm_code_init(c);
	arm_mem_init(c);
	arm_systick_init(c);
	c->cpu.state = SOC_CPU_HALTED;
	return &c->cpu;
fail:
	soc_cpu_destroy_common(&c->cpu);
	g_free(c);
	return NULL;
}

static void arm_destroy(SocCpu *cpu)
{
	ArmCpu *c = arm_cpu(cpu);
	if (!c)
		return;
	arm_systick_destroy(c);
	arm_code_destroy(c);
	arm_mem_destroy(c);
	arm_disas_destroy(c);
	soc_cpu_destroy_common(cpu);
	g_free(c->irq_lines);
	g_free(c);
}

/* ---- inputs ---------------------------------------------------------------------------------- */

static void irq_handler(void *opaque, unsigned n, int level)
{
	arm_irq_line(opaque, n, level);
}

static void nmi_handler(void *opaque, unsigned n, int level)
{
	ArmCpu *c = opaque;
	(void)n;
	if (level && !c->nmi_level)
		arm_set_pending(c, ARM_EXC_NMI);
	c->nmi_level = level != 0;
}

static void rxev_handler(void *opaque, unsigned n, int level)
{
	ArmCpu *c = opaque;
	(void)n;
	if (level) {
		c->event = true;
		arm_wake_check(c);
	}
}

static SocIrq *add_input(ArmCpu *c, const char *sig, SocIrqHandler h, unsigned n)
{
	g_autofree char *name = g_strdup_printf("%s:%s", c->cpu.path, sig);
	SocIrq *in = soc_irq_new_input(name, h, c, n);
	c->cpu.irq_in = g_renew(SocIrq *, c->cpu.irq_in, c->cpu.n_irq_in + 1);
	c->cpu.irq_in[c->cpu.n_irq_in++] = in;
	return in;
}

static SocIrq *irq_line(ArmCpu *c, unsigned n)
{
	if (n >= c->n_irqs)
		return NULL;
	if (!c->irq_lines[n]) {
		char sig[16];
		g_snprintf(sig, sizeof(sig), "irq%u", n);
		c->irq_lines[n] = add_input(c, sig, irq_handler, n);
	}
	return c->irq_lines[n];
}

static SocIrq *arm_irq_input(SocCpu *cpu, const char *name)
{
	ArmCpu *c = arm_cpu(cpu);
	if (!strcmp(name, "nmi")) {
		if (!c->nmi_in)
			c->nmi_in = add_input(c, "nmi", nmi_handler, 0);
		return c->nmi_in;
	}
	if (!strcmp(name, "rxev")) {
		if (!c->rxev_in)
			c->rxev_in = add_input(c, "rxev", rxev_handler, 0);
		return c->rxev_in;
	}
	if (g_str_has_prefix(name, "irq") && name[3] >= '0' && name[3] <= '9') {
		char *end;
		guint64 n = g_ascii_strtoull(name + 3, &end, 10);
		if (*end == '\0' && n < c->n_irqs)
			return irq_line(c, (unsigned)n);
	}
	return NULL;
}

/* ---- parts of the core described by their own nodes ----------------------------------------- */

static bool arm_attach_node(SocCpu *cpu, const void *fdt, int node, const char *compat, GError **err)
{
	ArmCpu *c = arm_cpu(cpu);
	g_autofree char *path = soc_fdt_path(fdt, node);
	uint32_t v;
	uint64_t hz;
	int r;

	if (g_str_has_suffix(compat, "-nvic")) {
		r = soc_fdt_read_u32(fdt, node, "arm,num-irq-priority-bits", &v, err);
		if (r < 0)
			return false;
		if (r > 0) {
			if (v < 2 || v > 8 || (ARM_IS_V6M(c) && v != 2)) {
				g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
				            "%s: arm,num-irq-priority-bits = %u: a %s has %s priority bits", path, v,
				            c->model->name, ARM_IS_V6M(c) ? "exactly 2" : "2 to 8");
				return false;
			}
			c->prio_bits = v;
			c->prio_mask = (uint8_t)(0xFF << (8 - v));
		}
		r = soc_fdt_read_u32(fdt, node, "socemu,num-irqs", &v, err);
		if (r < 0)
			return false;
		if (r > 0) {
			if (v < 1 || v > c->model->max_irqs) {
				g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
				            "%s: socemu,num-irqs = %u: a %s has 1 to %u external interrupts", path, v,
				            c->model->name, c->model->max_irqs);
				return false;
			}
			c->n_irqs = v;
		}
		return true;
	}
	if (!strcmp(compat, "arm,armv7m-systick")) {
		r = soc_fdt_read_u64(fdt, node, "clock-frequency", &hz, err);
		if (r < 0)
			return false;
		if (r > 0 && !hz) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY, "%s: clock-frequency must not be 0", path);
			return false;
		}
		c->systick_ref_hz = r > 0 ? hz : 0;
		return true;
	}
	/* MPU */
	r = soc_fdt_read_u32(fdt, node, "arm,num-mpu-regions", &v, err);
	if (r < 0)
		return false;
	if (r > 0) {
		if (v > 16 || (ARM_IS_V6M(c) && v && v != 8)) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
			            "%s: arm,num-mpu-regions = %u: a %s MPU has %s regions", path, v, c->model->name,
			            ARM_IS_V6M(c) ? "0 or 8" : "0 to 16");
			return false;
		}
		if (v && !c->model->mpu_regions && ARM_IS_V6M(c)) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY, "%s: a %s has no MPU", path, c->model->name);
			return false;
		}
		c->mpu_nregions = v;
	}
	return true;
}

static SocIrq *arm_irq_xlate(SocCpu *cpu, const char *compat, const uint32_t *cells, unsigned ncells,
                             GError **err)
{
	ArmCpu *c = arm_cpu(cpu);
	if (!g_str_has_suffix(compat, "-nvic")) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY, "%s is not an interrupt controller", compat);
		return NULL;
	}
	if (ncells < 1) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY, "NVIC specifiers need an interrupt number");
		return NULL;
	}
	if (cells[0] >= c->n_irqs) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY, "interrupt %u is beyond the %u lines of the NVIC of %s",
		            cells[0], c->n_irqs, cpu->path);
		return NULL;
	}
	return irq_line(c, cells[0]);
}

/* ---- reset ---------------------------------------------------------------------------------- */

void arm_reset_fetch(ArmCpu *c)
{
	uint32_t sp = 0, pc = 0;
	c->reset_fetch_pending = false;
	if (arm_mem_access(c, c->vtor, 4, &sp, ARM_ACC_NOMPU | ARM_ACC_PRIV) != ARM_MEM_OK ||
	    arm_mem_access(c, c->vtor + 4, 4, &pc, ARM_ACC_NOMPU | ARM_ACC_PRIV) != ARM_MEM_OK) {
		c->pc = 0;
		arm_lockup(c, "no readable vector table at VTOR 0x%08x (initial SP and reset vector)", c->vtor);
		return;
	}
	c->r[13] = sp & ~3u;
	c->sp_other = 0;
	c->pc = pc & ~1u;
	c->tbit = pc & 1;
	if (!c->tbit) {
		soc_log_guest_error(c->cpu.log, "%s: reset vector 0x%08x at 0x%08x is not a Thumb address (bit 0 clear): "
		                    "is there a vector table at VTOR?", c->cpu.path, pc, c->vtor + 4);
		c->slow |= ARM_SLOW_TBIT;
	}
	if (c->entry_set && (c->entry & ~1u) != c->pc)
		soc_log(c->cpu.log, SOC_LOG_INT, "int: %s starts at the reset vector 0x%08x; the image's entry "
		        "point 0x%08x is not used", c->cpu.path, c->pc, c->entry);
}

static void arm_reset(SocCpu *cpu)
{
	ArmCpu *c = arm_cpu(cpu);

	memset(c->r, 0, sizeof(c->r));
	c->r[14] = 0xFFFFFFFFu;
	c->pc = 0;
	c->nf = 0;
	c->zf = 1;
	c->cf = c->vf = c->qf = c->ge = 0;
	c->control = 0;
	c->ipsr = 0;
	c->sp_other = 0;
	c->msplim = c->psplim = 0;
	c->tbit = true;
	c->event = false;
	c->excl_valid = false;
	c->nmi_level = false;
	memset(&c->fp, 0, sizeof(c->fp));
	c->fpscr = 0;
	c->slow = 0;
	c->itstate = 0;
	arm_scs_reset(c);
	arm_nvic_reset(c);
	arm_set_mpu_ctx(c);
	arm_fp_update_ready(c);
	arm_code_flush(c);
	c->reset_fetch_pending = true;
	cpu->state = SOC_CPU_RUNNING;
	g_clear_pointer(&cpu->stop_reason, g_free);
}

static void arm_set_entry(SocCpu *cpu, uint64_t entry)
{
	ArmCpu *c = arm_cpu(cpu);
	c->entry = (uint32_t)entry;
	c->entry_set = true;
	/* The images are in memory now: leave reset as the core would. */
	if (c->reset_fetch_pending)
		arm_reset_fetch(c);
}

static uint64_t arm_get_pc(const SocCpu *cpu)
{
	return ((const ArmCpu *)cpu)->pc;
}

/* ---- register access ---------------------------------------------------------------------- */

bool soc_arm_get_reg(const SocCpu *cpu, unsigned n, uint32_t *value)
{
	const ArmCpu *c = (const ArmCpu *)cpu;
	bool psp = c->ipsr == 0 && (c->control & ARM_CONTROL_SPSEL);

	if (n < 15) {
		*value = c->r[n];
		return true;
	}
	switch (n) {
	case 15: *value = c->pc; return true;
	case 16: *value = arm_get_xpsr(c); return true;
	case 17: *value = psp ? c->sp_other : c->r[13]; return true;
	case 18: *value = psp ? c->r[13] : c->sp_other; return true;
	case 19: *value = c->primask; return true;
	case 20: *value = c->basepri; return !ARM_IS_V6M(c);
	case 21: *value = c->faultmask; return !ARM_IS_V6M(c);
	case 22: *value = c->control; return true;
	case 23: *value = c->fpscr; return (c->feat & ARM_FT_FP) != 0;
	default:
		if (n >= 32 && n < 64 && (c->feat & ARM_FT_FP)) {
			*value = c->fp.s[n - 32];
			return true;
		}
		return false;
	}
}

bool soc_arm_set_reg(SocCpu *cpu, unsigned n, uint32_t value)
{
	ArmCpu *c = arm_cpu(cpu);
	bool psp = c->ipsr == 0 && (c->control & ARM_CONTROL_SPSEL);

	if (n < 15) {
		c->r[n] = n == 13 ? value & ~3u : value;
		return true;
	}
	switch (n) {
	case 15:
		c->pc = value & ~1u;
		return true;
	case 16:
		arm_set_nzcvq(c, value);
		c->ge = (value >> 16) & 15;
		c->tbit = (value >> 24) & 1;
		arm_set_itstate(c, ((value >> 25) & 3) | ((value >> 10) & 0x3F) << 2);
		if (!c->tbit)
			c->slow |= ARM_SLOW_TBIT;
		return true;
	case 17:
		if (psp) c->sp_other = value & ~3u; else c->r[13] = value & ~3u;
		return true;
	case 18:
		if (psp) c->r[13] = value & ~3u; else c->sp_other = value & ~3u;
		return true;
	case 19: c->primask = value & 1; break;
	case 20: if (ARM_IS_V6M(c)) return false; c->basepri = value & c->prio_mask; break;
	case 21: if (ARM_IS_V6M(c)) return false; c->faultmask = value & 1; break;
	case 22: return false;
	case 23:
		if (!(c->feat & ARM_FT_FP))
			return false;
		c->fpscr = value & ARM_FPSCR_MASK;
		return true;
	default:
		if (n >= 32 && n < 64 && (c->feat & ARM_FT_FP)) {
			c->fp.s[n - 32] = value;
			return true;
		}
		return false;
	}
	arm_update_irq(c);
	arm_set_mpu_ctx(c);
	return true;
}

/* ---- classes ------------------------------------------------------------------------------- */

#define ARM_CLASS(var, idx, nm, compat_str)                                                          \
	static const char *const compat_##idx[] = { compat_str, NULL };                            \
	static SocCpu *create_##idx(const SocCpuConfig *cfg, GError **err)                         \
	{                                                                                          \
		return arm_create(&models[idx], &var, cfg, err);                                   \
	}                                                                                          \
	const SocCpuClass var = {                                                                  \
		.name = nm, .compatible = compat_##idx, .create = create_##idx,                  \
		.destroy = arm_destroy, .reset = arm_reset, .set_entry = arm_set_entry,            \
		.run = arm_run, .get_pc = arm_get_pc, .disassemble = arm_disassemble,              \
		.irq_input = arm_irq_input, .owned_compatibles = owned,                            \
		.attach_node = arm_attach_node, .irq_xlate = arm_irq_xlate,                        \
	};

ARM_CLASS(soc_arm_cortex_m0_class, M0, "cortex-m0", "arm,cortex-m0")
ARM_CLASS(soc_arm_cortex_m0plus_class, M0P, "cortex-m0+", "arm,cortex-m0+")
ARM_CLASS(soc_arm_cortex_m3_class, M3, "cortex-m3", "arm,cortex-m3")
ARM_CLASS(soc_arm_cortex_m4_class, M4, "cortex-m4", "arm,cortex-m4")
ARM_CLASS(soc_arm_cortex_m4f_class, M4F, "cortex-m4f", "arm,cortex-m4f")
ARM_CLASS(soc_arm_cortex_m7_class, M7, "cortex-m7", "arm,cortex-m7")
ARM_CLASS(soc_arm_cortex_m33_class, M33, "cortex-m33", "arm,cortex-m33")
ARM_CLASS(soc_arm_cortex_m33f_class, M33F, "cortex-m33f", "arm,cortex-m33f")
