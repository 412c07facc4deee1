/* cpus/riscv/cpu.c — the RISC-V hart class: configuration from the cpu node, reset, interrupt
 * inputs, run, and the services declared in riscv.h.
 *
 * The ISA comes from `riscv,isa` or `riscv,isa-base` + `riscv,isa-extensions` and must not
 * ask for anything socemu does not implement (no silent downgrade). S-mode exists when the
 * ISA string has 's' or the node has an mmu-type other than "riscv,none"; U-mode when it has
 * 'u' or S-mode exists. satp is present with S-mode but only Bare translation is implemented:
 * writes selecting Sv32/39/48/57 are ignored, as the WARL rule allows. */
#include "cpus/riscv/internal.h"
#include "core/machine.h"
#include "core/semihost.h"
#include "core/error.h"
#include "core/irq.h"
#include "core/log.h"

#include <libfdt.h>
#include <string.h>

#define EM_RISCV 243

static const char *const riscv_compatible[] = { "riscv", NULL };

/* ---- ISA ------------------------------------------------------------------------------------ */

typedef struct {
	unsigned xlen;
	unsigned ext;
	bool s, u;
} Isa;

static const char *const supported_text = "i, m, a, c, s, u, zicsr, zifencei, zicntr, zihpm, "
                                          "zihintpause, zmmul, zaamo, zalrsc";

static bool isa_letter(Isa *isa, char c)
{
	switch (c) {
	case 'i': isa->ext |= RV_EXT_I; return true;
	case 'm': isa->ext |= RV_EXT_M; return true;
	case 'a': isa->ext |= RV_EXT_A; return true;
	case 'c': isa->ext |= RV_EXT_C; return true;
	case 's': isa->s = true; return true;
	case 'u': isa->u = true; return true;
	default: return false;
	}
}

/* A multi-letter extension, without its version suffix. */
static bool isa_multi(Isa *isa, const char *name)
{
	static const char *const always[] = { "zicsr", "zifencei", "zicntr", "zihpm", "zihintpause", NULL };
	for (const char *const *a = always; *a; a++)
		if (!strcmp(name, *a))
			return true;
	/* Subsets of M and A: accepted when the full extension is there too. */
	if (!strcmp(name, "zmmul"))
		return (isa->ext & RV_EXT_M) != 0;
	if (!strcmp(name, "zaamo") || !strcmp(name, "zalrsc"))
		return (isa->ext & RV_EXT_A) != 0;
	return false;
}

/* Strip a version suffix ("2p1", "2") from the end of a multi-letter name. */
static void strip_version(char *s)
{
	size_t n = strlen(s);
	while (n > 0 && g_ascii_isdigit(s[n - 1]))
		n--;
	if (n > 1 && s[n - 1] == 'p' && g_ascii_isdigit(s[n - 2])) {
		n--;
		while (n > 0 && g_ascii_isdigit(s[n - 1]))
			n--;
	}
	if (n > 0)
		s[n] = '\0';
}

static bool unsupported(GError **err, const char *path, const char *prop, const char *value,
                        const char *ext)
{
	g_set_error(err, SOC_ERROR, SOC_ERROR_UNSUPPORTED,
	            "%s: %s \"%s\": extension \"%s\" is not implemented by socemu (supported: %s)",
	            path, prop, value, ext, supported_text);
	return false;
}

static bool parse_base(Isa *isa, const char *s, const char **rest, const char *path, const char *prop,
                       const char *value, GError **err)
{
	if (!g_str_has_prefix(s, "rv32") && !g_str_has_prefix(s, "rv64")) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
		            "%s: %s \"%s\" does not start with rv32 or rv64", path, prop, value);
		return false;
	}
	isa->xlen = s[2] == '3' ? 32 : 64;
	s += 4;
	if (*s == 'e')
		return unsupported(err, path, prop, value, "e");
	if (*s == 'g')
		return unsupported(err, path, prop, value, "g (f, d)");
	if (*s != 'i') {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
		            "%s: %s \"%s\": the base must be i after rv%u", path, prop, value, isa->xlen);
		return false;
	}
	*rest = s;
	return true;
}

static bool parse_isa_string(Isa *isa, const char *value, const char *path, GError **err)
{
	g_autofree char *low = g_ascii_strdown(value, -1);
	g_auto(GStrv) parts = NULL;
	const char *s;

	if (!parse_base(isa, low, &s, path, "riscv,isa", value, err))
		return false;
	parts = g_strsplit(s, "_", -1);
	for (unsigned p = 0; parts[p]; p++) {
		const char *t = parts[p];
		if (!*t)
			continue;
		if (p > 0 && (t[0] == 'z' || t[0] == 's' || t[0] == 'x' || t[0] == 'h') && t[1] &&
		    !g_ascii_isdigit(t[1])) {
			g_autofree char *name = g_strdup(t);
			strip_version(name);
			if (!isa_multi(isa, name))
				return unsupported(err, path, "riscv,isa", value, name);
			continue;
		}
		/* Single letters, each with an optional version ("i2p1"). */
		while (*t) {
			if (*t == 'z' || *t == 'x') {
				g_autofree char *name = g_strdup(t);
				strip_version(name);
				if (!isa_multi(isa, name))
					return unsupported(err, path, "riscv,isa", value, name);
				break;
			}
			if (!isa_letter(isa, *t)) {
				char one[2] = { *t, 0 };
				if (!g_ascii_isalpha(*t)) {
					g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
					            "%s: riscv,isa \"%s\": unexpected character '%c'", path, value, *t);
					return false;
				}
				return unsupported(err, path, "riscv,isa", value, one);
			}
			t++;
			if (g_ascii_isdigit(*t)) {
				while (g_ascii_isdigit(*t))
					t++;
				if (*t == 'p' && g_ascii_isdigit(t[1])) {
					t++;
					while (g_ascii_isdigit(*t))
						t++;
				}
			}
		}
	}
	return true;
}

/* A string property, NUL-terminated inside its length; NULL when absent. */
static const char *get_string(const void *fdt, int node, const char *name, int *len, const char *path,
                              GError **err, bool *bad)
{
	const char *v = fdt_getprop(fdt, node, name, len);
	*bad = false;
	if (!v)
		return NULL;
	if (*len <= 0 || !memchr(v, '\0', (size_t)*len)) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY, "%s: %s is not a string", path, name);
		*bad = true;
		return NULL;
	}
	return v;
}

static bool parse_isa(Isa *isa, const void *fdt, int node, const char *path, GError **err)
{
	int len;
	bool bad;
	const char *isa_str = get_string(fdt, node, "riscv,isa", &len, path, err, &bad);
	const char *base, *list, *rest;

	memset(isa, 0, sizeof(*isa));
	if (bad)
		return false;
	if (isa_str)
		return parse_isa_string(isa, isa_str, path, err);
	base = get_string(fdt, node, "riscv,isa-base", &len, path, err, &bad);
	if (bad)
		return false;
	if (!base) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
		            "%s: a riscv cpu needs riscv,isa or riscv,isa-base and riscv,isa-extensions", path);
		return false;
	}
	{
		g_autofree char *low = g_ascii_strdown(base, -1);
		if (!parse_base(isa, low, &rest, path, "riscv,isa-base", base, err))
			return false;
		if (strcmp(rest, "i") != 0) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
			            "%s: riscv,isa-base \"%s\" should be rv32i or rv64i", path, base);
			return false;
		}
	}
	list = fdt_getprop(fdt, node, "riscv,isa-extensions", &len);
	if (!list || len <= 0 || list[len - 1] != '\0') {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
		            "%s: riscv,isa-base needs a riscv,isa-extensions string list", path);
		return false;
	}
	for (int pos = 0; pos < len;) {
		const char *e = list + pos;
		g_autofree char *low = g_ascii_strdown(e, -1);
		pos += (int)strlen(e) + 1;
		if (strlen(low) == 1) {
			if (!isa_letter(isa, low[0]))
				return unsupported(err, path, "riscv,isa-extensions", low, low);
		} else if (!isa_multi(isa, low)) {
			return unsupported(err, path, "riscv,isa-extensions", low, low);
		}
	}
	if (!(isa->ext & RV_EXT_I)) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
		            "%s: riscv,isa-extensions must list \"i\"", path);
		return false;
	}
	return true;
}

static bool read_number(const void *fdt, int node, const char *name, uint64_t *out, bool *present,
                        const char *path, GError **err)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
	*present = p != NULL;
	if (!p)
		return true;
	if (len == 4) {
		*out = fdt32_to_cpu(p[0]);
	} else if (len == 8) {
		*out = ((uint64_t)fdt32_to_cpu(p[0]) << 32) | fdt32_to_cpu(p[1]);
	} else {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
		            "%s: %s has %d bytes, expected 4 or 8", path, name, len);
		return false;
	}
	return true;
}

/* ---- interrupts ----------------------------------------------------------------------------- */

static void irq_changed(void *opaque, unsigned bit, int level)
{
	RvCpu *cpu = opaque;
	uint64_t m = 1ull << bit;

	if (!cpu->has_s && (m & MIP_S_BITS))
		return;     /* no S-mode: those mip bits do not exist */
	if (bit == 9)
		cpu->seip_line = level != 0;
	else if (level)
		cpu->mip |= m;
	else
		cpu->mip &= ~m;
	rv_update_irq(cpu);
	soc_cpu_kick(&cpu->common);
	if (cpu->common.state == SOC_CPU_SLEEPING && (rv_read_mip(cpu) & cpu->mie))
		cpu->common.state = SOC_CPU_RUNNING;
}

/* ---- class functions ------------------------------------------------------------------------ */

static void riscv_reset(SocCpu *c)
{
	RvCpu *cpu = rv_cpu(c);
	memset(cpu->x64, 0, sizeof(cpu->x64));
	/* pc[0] is always 0 (as soc_riscv_set_pc keeps it): an odd entry point or reset vector
	 * from an image or a tree starts at the even address below it. */
	cpu->pc = (cpu->entry_set ? cpu->entry : cpu->reset_vector) & cpu->xmask & ~(uint64_t)1;
	soc_riscv_set_xreg(c, 10, cpu->hartid);
	soc_riscv_set_xreg(c, 11, cpu->boot_a1);
	cpu->exit_req = false;
	rv_csr_reset(cpu);
	c->state = SOC_CPU_RUNNING;
	g_clear_pointer(&c->stop_reason, g_free);
}

static void riscv_destroy(SocCpu *c)
{
	RvCpu *cpu = rv_cpu(c);
	if (!cpu)
		return;
	rv_mem_destroy(cpu);
	soc_cpu_destroy_common(c);
	g_free(cpu);
}

/* The machine's semihosting service: a0 = operation, a1 = parameter, result in a0. */
static bool machine_semihost(void *opaque, SocCpu *c)
{
	RvCpu *cpu = rv_cpu(c);
	uint64_t r = soc_semihost_call(opaque, c, cpu->xlen / 8, soc_riscv_get_xreg(c, 10),
	                               soc_riscv_get_xreg(c, 11));
	soc_riscv_set_xreg(c, 10, r & cpu->xmask);
	return true;
}

static SocCpu *riscv_create(const SocCpuConfig *cfg, GError **err)
{
	static const unsigned bits[] = { 1, 3, 5, 7, 9, 11 };
	RvCpu *cpu;
	Isa isa;
	uint64_t v;
	bool present;

	if (!parse_isa(&isa, cfg->fdt, cfg->node, cfg->path, err))
		return NULL;
	cpu = g_new0(RvCpu, 1);
	soc_cpu_init_common(&cpu->common, &soc_riscv_cpu_class, cfg);
	cpu->xlen = isa.xlen;
	cpu->xmask = isa.xlen == 32 ? 0xffffffffull : UINT64_MAX;
	cpu->ext = isa.ext | RV_EXT_ZICSR | RV_EXT_ZIFENCEI;
	cpu->has_c = (isa.ext & RV_EXT_C) != 0;
	cpu->exec = isa.xlen == 32 ? rv_exec32 : rv_exec64;
	cpu->has_s = isa.s;
	cpu->timebase_hz = cfg->timebase_hz;
	{
		int len;
		const char *mmu = fdt_getprop(cfg->fdt, cfg->node, "mmu-type", &len);
		if (mmu && len > 0 && memchr(mmu, '\0', (size_t)len) && strcmp(mmu, "riscv,none") != 0)
			cpu->has_s = true;
	}
	cpu->has_u = isa.u || cpu->has_s;
	if (cpu->has_s)
		cpu->ext |= RV_EXT_S;

	cpu->hartid = cfg->index;
	if (!read_number(cfg->fdt, cfg->node, "reg", &v, &present, cfg->path, err))
		goto fail;
	if (present)
		cpu->hartid = v;
	if (!read_number(cfg->fdt, cfg->node, "socemu,reset-vector", &v, &present, cfg->path, err))
		goto fail;
	if (present)
		cpu->reset_vector = v;

	cpu->common.irq_in = g_new0(SocIrq *, G_N_ELEMENTS(bits));
	for (unsigned i = 0; i < G_N_ELEMENTS(bits); i++) {
		g_autofree char *name = g_strdup_printf("%s:irq%u", cfg->path, bits[i]);
		SocIrq *in = soc_irq_new_input(name, irq_changed, cpu, bits[i]);
		cpu->common.irq_in[cpu->common.n_irq_in++] = in;
		cpu->irq_by_bit[bits[i]] = in;
	}
	rv_mem_init(cpu);
	if (cfg->machine && soc_machine_semihost(cfg->machine))
		soc_riscv_set_semihost_hook(&cpu->common, machine_semihost, soc_machine_semihost(cfg->machine));
	riscv_reset(&cpu->common);
	return &cpu->common;

fail:
	soc_cpu_destroy_common(&cpu->common);
	g_free(cpu);
	return NULL;
}

static void riscv_set_entry(SocCpu *c, uint64_t entry)
{
	RvCpu *cpu = rv_cpu(c);
	cpu->entry = entry;
	cpu->entry_set = true;
	cpu->pc = entry & cpu->xmask & ~(uint64_t)1;
}

static void riscv_run(SocCpu *c)
{
	RvCpu *cpu = rv_cpu(c);

	if (c->state == SOC_CPU_SLEEPING && (rv_read_mip(cpu) & cpu->mie))
		c->state = SOC_CPU_RUNNING;
	if (c->state != SOC_CPU_RUNNING)
		return;
	cpu->exit_req = false;
	if (RV_UNLIKELY(soc_log_enabled(c->log, SOC_LOG_EXEC)))
		(cpu->xlen == 32 ? rv_exec32_trace : rv_exec64_trace)(cpu);
	else
		cpu->exec(cpu);
}

static uint64_t riscv_get_pc(const SocCpu *c)
{
	return ((const RvCpu *)c)->pc;
}

static unsigned riscv_disassemble(SocCpu *c, uint64_t addr, char *buf, size_t buflen)
{
	RvCpu *cpu = rv_cpu(c);
	uint16_t h[2];
	uint32_t raw;

	if (buflen)
		buf[0] = '\0';
	if (!soc_as_read_bytes(c->as, addr, &h[0], 2, NULL))
		return 0;
	raw = h[0];
	if ((raw & 3) == 3) {
		if (!soc_as_read_bytes(c->as, (addr + 2) & cpu->xmask, &h[1], 2, NULL))
			return 0;
		raw |= (uint32_t)h[1] << 16;
	}
	return rv_disas(cpu->xlen, addr, raw, buf, (unsigned)MIN(buflen, (size_t)UINT_MAX));
}

static SocIrq *riscv_irq_input(SocCpu *c, const char *name)
{
	RvCpu *cpu = rv_cpu(c);
	char *end;
	unsigned long n;

	if (!g_str_has_prefix(name, "irq"))
		return NULL;
	n = strtoul(name + 3, &end, 10);
	if (end == name + 3 || *end || n >= G_N_ELEMENTS(cpu->irq_by_bit))
		return NULL;
	return cpu->irq_by_bit[n];
}

const SocCpuClass soc_riscv_cpu_class = {
	.name = "riscv",
	.compatible = riscv_compatible,
	.elf_machine = EM_RISCV,
	.create = riscv_create,
	.destroy = riscv_destroy,
	.reset = riscv_reset,
	.set_entry = riscv_set_entry,
	.run = riscv_run,
	.get_pc = riscv_get_pc,
	.disassemble = riscv_disassemble,
	.irq_input = riscv_irq_input,
	.set_boot_dtb = soc_riscv_set_boot_args,
};

/* ---- services ------------------------------------------------------------------------------- */

void soc_riscv_set_semihost_hook(SocCpu *c, SocRiscvSemihostFn fn, void *opaque)
{
	RvCpu *cpu = rv_cpu(c);
	cpu->semihost_fn = fn;
	cpu->semihost_opaque = opaque;
}

void soc_riscv_set_boot_args(SocCpu *c, uint64_t a1)
{
	RvCpu *cpu = rv_cpu(c);
	cpu->boot_a1 = a1 & cpu->xmask;
	soc_riscv_set_xreg(c, 11, a1);
}

unsigned soc_riscv_xlen(const SocCpu *c)
{
	return ((const RvCpu *)c)->xlen;
}

uint64_t soc_riscv_hartid(const SocCpu *c)
{
	return ((const RvCpu *)c)->hartid;
}

uint64_t soc_riscv_get_xreg(const SocCpu *c, unsigned n)
{
	const RvCpu *cpu = (const RvCpu *)c;
	if (n == 0 || n >= 32)
		return 0;
	return cpu->xlen == 32 ? cpu->x32[n] : cpu->x64[n];
}

void soc_riscv_set_xreg(SocCpu *c, unsigned n, uint64_t value)
{
	RvCpu *cpu = rv_cpu(c);
	if (n == 0 || n >= 32)
		return;
	if (cpu->xlen == 32)
		cpu->x32[n] = (uint32_t)value;
	else
		cpu->x64[n] = value;
}

void soc_riscv_set_pc(SocCpu *c, uint64_t pc)
{
	RvCpu *cpu = rv_cpu(c);
	cpu->pc = pc & cpu->xmask & ~(uint64_t)1;
}

unsigned soc_riscv_priv(const SocCpu *c)
{
	return ((const RvCpu *)c)->priv;
}

bool soc_riscv_read_csr(SocCpu *c, unsigned csr, uint64_t *value)
{
	return csr < 4096 && rv_csr_read(rv_cpu(c), csr, value, true);
}

bool soc_riscv_write_csr(SocCpu *c, unsigned csr, uint64_t value)
{
	return csr < 4096 && rv_csr_write(rv_cpu(c), csr, value, true);
}
