/* cpus/arm/disas.c — Thumb disassembly for traces and debuggers, through capstone
 * (CS_ARCH_ARM, Thumb, M-class). An encoding capstone does not know is shown with the name of
 * its entry in socemu's own table, or as raw data.
 *
 * capstone is a large library and most runs never disassemble, so it is not linked: the first
 * disassembly loads it with dlopen (configure found its soname; SOCEMU_CAPSTONE names another
 * file). When it cannot be loaded, or is of another major version than the header socemu was
 * built with (cs_insn's layout differs), one warning says so and every instruction is shown
 * by socemu's own names. */
#include "config.h"
#include "cpus/arm/arm-internal.h"

#include <capstone/capstone.h>
#include <dlfcn.h>
#include <stdio.h>

typedef struct {
	cs_err (*open)(cs_arch arch, cs_mode mode, csh *handle);
	cs_err (*close)(csh *handle);
	size_t (*disasm)(csh handle, const uint8_t *code, size_t size, uint64_t address, size_t count,
	                 cs_insn **insn);
	void (*free)(cs_insn *insn, size_t count);
	unsigned (*version)(int *major, int *minor);
} CapstoneApi;

typedef struct ArmDisas {
	csh handle;
	bool ok;
} ArmDisas;

/* NULL when capstone is unavailable. Loaded once per process and never unloaded: handles of
 * every cpu use it until the process ends. */
static const CapstoneApi *capstone_api(void)
{
	static CapstoneApi api;
	static gsize done;
	static const CapstoneApi *result;

	if (g_once_init_enter(&done)) {
		const char *file = g_getenv("SOCEMU_CAPSTONE");
		void *lib;
		g_autofree char *why = NULL;
		int major = -1, minor = -1;

		if (!file || !*file)
			file = SOC_CAPSTONE_SONAME;
		lib = dlopen(file, RTLD_NOW | RTLD_LOCAL);
		if (!lib) {
			const char *e = dlerror();
			why = g_strdup(e ? e : "dlopen failed");
		} else {
			/* POSIX: dlsym returns void *, which converts to a function pointer this way. */
			*(void **)&api.open = dlsym(lib, "cs_open");
			*(void **)&api.close = dlsym(lib, "cs_close");
			*(void **)&api.disasm = dlsym(lib, "cs_disasm");
			*(void **)&api.free = dlsym(lib, "cs_free");
			*(void **)&api.version = dlsym(lib, "cs_version");
			if (!api.open || !api.close || !api.disasm || !api.free || !api.version) {
				why = g_strdup("it lacks cs_open, cs_close, cs_disasm, cs_free or cs_version");
			} else {
				api.version(&major, &minor);
				if (major != CS_API_MAJOR)
					why = g_strdup_printf("it is capstone %d.%d, socemu was built for %d.x", major, minor,
					                      CS_API_MAJOR);
				else
					result = &api;
			}
			if (!result)
				dlclose(lib);
		}
		if (!result)
			g_printerr("socemu: warning: Arm disassembly: cannot use %s (%s); instructions are shown by "
			           "socemu's own names\n", file, why);
		g_once_init_leave(&done, 1);
	}
	return result;
}

static ArmDisas *disas_get(ArmCpu *c)
{
	ArmDisas *d = c->disas;
	if (!d) {
		const CapstoneApi *cs = capstone_api();
		d = g_new0(ArmDisas, 1);
		d->ok = cs && cs->open(CS_ARCH_ARM, CS_MODE_THUMB | CS_MODE_MCLASS, &d->handle) == CS_ERR_OK;
		c->disas = d;
	}
	return d;
}

void arm_disas_destroy(ArmCpu *c)
{
	ArmDisas *d = c->disas;
	if (!d)
		return;
	if (d->ok)
		capstone_api()->close(&d->handle);   /* ok implies the library is loaded */
	g_free(d);
	c->disas = NULL;
}

unsigned arm_disassemble(SocCpu *cpu, uint64_t addr, char *buf, size_t buflen)
{
	ArmCpu *c = arm_cpu(cpu);
	ArmDisas *d = disas_get(c);
	const CapstoneApi *cs = d->ok ? capstone_api() : NULL;
	uint8_t bytes[4];
	uint16_t hw1, hw2;
	unsigned len;
	cs_insn *insn = NULL;
	size_t n = 0;

	if (buflen)
		buf[0] = '\0';
	if (addr > UINT32_MAX || !soc_as_read_bytes(cpu->as, addr, bytes, 2, NULL))
		return 0;
	hw1 = (uint16_t)(bytes[0] | bytes[1] << 8);
	len = arm_is_32bit(hw1) ? 4 : 2;
	if (len == 4 && !soc_as_read_bytes(cpu->as, addr + 2, bytes + 2, 2, NULL))
		return 0;
	if (cs)
		n = cs->disasm(d->handle, bytes, len, addr, 1, &insn);
	if (n == 1 && insn[0].size == len) {
		if (insn[0].op_str[0])
			snprintf(buf, buflen, "%s %s", insn[0].mnemonic, insn[0].op_str);
		else
			snprintf(buf, buflen, "%s", insn[0].mnemonic);
	} else {
		ArmOpId op;
		hw2 = (uint16_t)(bytes[2] | bytes[3] << 8);
		op = arm_decode_lookup(len == 4 ? (uint32_t)hw1 << 16 | hw2 : hw1, len * 8, c->feat);
		if (len == 4)
			snprintf(buf, buflen, "%s (0x%04x%04x)", op ? arm_insn_info[op].name : ".inst.w", hw1, hw2);
		else
			snprintf(buf, buflen, "%s (0x%04x)", op ? arm_insn_info[op].name : ".inst.n", hw1);
	}
	if (n)
		cs->free(insn, n);
	return len;
}
