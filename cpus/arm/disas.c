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

/* -d exec lines already made, by pc: each is disassembled once, not per execution. The key
 * is the pc and the decoded slot (rewritten code decodes to another slot). */
#define TRACE_LINES 1024
#define TRACE_TEXT 112

typedef struct {
	ArmInsn in;
	uint32_t pc;
	uint16_t len;               /* 0: empty */
	char text[TRACE_TEXT];      /* "000002e8: b508       push {r3, lr}" */
} TraceLine;

typedef struct ArmDisas {
	csh handle;
	bool ok;
	char *prefix;               /* "exec: /cpus/cpu@0 0x" */
	size_t prefix_len;
	TraceLine *lines;           /* TRACE_LINES, on the first traced instruction */
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
	g_free(d->prefix);
	g_free(d->lines);
	g_free(d);
	c->disas = NULL;
}

/* capstone's text of the last instruction of `code` (`span` bytes at guest address `from`),
 * which must be the `len` bytes at addr: from an IT instruction on, so that the instructions
 * it makes conditional show their conditions (capstone follows IT state within one call).
 * False when capstone cannot say. */
static bool capstone_text(ArmCpu *c, const uint8_t *code, size_t span, uint32_t from, uint32_t addr,
                          unsigned len, char *buf, size_t buflen)
{
	ArmDisas *d = disas_get(c);
	const CapstoneApi *cs = d->ok ? capstone_api() : NULL;
	cs_insn *insn = NULL;
	bool found = false;
	size_t n;

	if (!cs)
		return false;
	n = cs->disasm(d->handle, code, span, from, 0, &insn);
	if (n > 0 && insn[n - 1].address == addr && insn[n - 1].size == len) {
		if (insn[n - 1].op_str[0])
			snprintf(buf, buflen, "%s %s", insn[n - 1].mnemonic, insn[n - 1].op_str);
		else
			snprintf(buf, buflen, "%s", insn[n - 1].mnemonic);
		found = true;
	}
	if (n)
		cs->free(insn, n);
	return found;
}

/* The text of one instruction (its `len` bytes at `bytes`, at addr): capstone's, else the
 * name of the encoding table's entry (or .inst) and the raw value. */
static void disas_text(ArmCpu *c, uint32_t addr, const uint8_t *bytes, unsigned len, char *buf,
                       size_t buflen)
{
	uint16_t hw1 = (uint16_t)(bytes[0] | bytes[1] << 8), hw2;
	ArmOpId op;

	if (capstone_text(c, bytes, len, addr, addr, len, buf, buflen))
		return;
	hw2 = (uint16_t)(bytes[2] | bytes[3] << 8);
	op = arm_decode_lookup(len == 4 ? (uint32_t)hw1 << 16 | hw2 : hw1, len * 8, c->feat);
	if (len == 4)
		snprintf(buf, buflen, "%s (0x%04x%04x)", op ? arm_insn_info[op].name : ".inst.w", hw1, hw2);
	else
		snprintf(buf, buflen, "%s (0x%04x)", op ? arm_insn_info[op].name : ".inst.n", hw1);
}

unsigned arm_disassemble(SocCpu *cpu, uint64_t addr, char *buf, size_t buflen)
{
	uint8_t bytes[4] = { 0, 0, 0, 0 };
	unsigned len;

	if (buflen)
		buf[0] = '\0';
	if (addr > UINT32_MAX || !soc_as_read_bytes(cpu->as, addr, bytes, 2, NULL))
		return 0;
	len = arm_is_32bit((uint16_t)(bytes[0] | bytes[1] << 8)) ? 4 : 2;
	if (len == 4 && !soc_as_read_bytes(cpu->as, addr + 2, bytes + 2, 2, NULL))
		return 0;
	disas_text(arm_cpu(cpu), (uint32_t)addr, bytes, len, buf, buflen);
	return len;
}

static void trace_fill(ArmCpu *c, TraceLine *e, const ArmInsn *i)
{
	/* Inside an IT block, the bytes from its IT on (at most four instructions back): they
	 * are disassembled together when they end exactly here; else the instruction alone. */
	bool from_it = c->itstate && c->it_pc < c->pc && c->pc - c->it_pc <= 16;
	uint32_t from = from_it ? c->it_pc : c->pc;
	uint8_t code[20] = { 0 };
	size_t span = c->pc - from + i->len;
	const uint8_t *bytes = code + (c->pc - from);
	uint16_t hw1, hw2;
	size_t room;
	int n;

	/* The slot was decoded from its bytes, so they are readable (the IT's may not be). */
	if (from_it && !soc_as_read_bytes(c->cpu.as, from, code, span, NULL)) {
		from_it = false;
		from = c->pc;
		span = i->len;
		bytes = code;
	}
	if (!from_it)
		soc_as_read_bytes(c->cpu.as, c->pc, code, i->len, NULL);
	hw1 = (uint16_t)(bytes[0] | bytes[1] << 8);
	hw2 = (uint16_t)(bytes[2] | bytes[3] << 8);
	if (i->len == 4)
		n = snprintf(e->text, sizeof(e->text), "%08x: %04x %04x  ", c->pc, hw1, hw2);
	else
		n = snprintf(e->text, sizeof(e->text), "%08x: %04x       ", c->pc, hw1);
	room = sizeof(e->text) - (size_t)n;
	if (!from_it || !capstone_text(c, code, span, from, c->pc, i->len, e->text + n, room))
		disas_text(c, c->pc, bytes, i->len, e->text + n, room);
	e->in = *i;
	e->pc = c->pc;
	e->len = (uint16_t)strlen(e->text);
}

void arm_trace_insn(ArmCpu *c, const ArmInsn *i)
{
	static const char it_note[] = " (in IT block)";
	ArmDisas *d = disas_get(c);
	TraceLine *e;
	size_t max;
	char *line;

	if (G_UNLIKELY(!d->lines)) {
		d->lines = g_new0(TraceLine, TRACE_LINES);
		d->prefix = g_strdup_printf("exec: %s 0x", c->cpu.path);
		d->prefix_len = strlen(d->prefix);
	}
	e = &d->lines[(c->pc >> 1) & (TRACE_LINES - 1)];
	if (G_UNLIKELY(e->pc != c->pc || !e->len || memcmp(&e->in, i, sizeof(*i)) != 0))
		trace_fill(c, e, i);
	max = d->prefix_len + e->len + sizeof(it_note);
	line = max <= SOC_LOG_RESERVE_MAX ? soc_log_reserve(c->cpu.log, SOC_LOG_EXEC, max) : NULL;
	if (!line) {
		/* Off, or a path too long for one reservation. */
		soc_log(c->cpu.log, SOC_LOG_EXEC, "%s%.*s%s", d->prefix, (int)e->len, e->text,
		        c->itstate ? it_note : "");
		return;
	}
	memcpy(line, d->prefix, d->prefix_len);
	memcpy(line + d->prefix_len, e->text, e->len);
	max = d->prefix_len + e->len;
	if (c->itstate) {
		memcpy(line + max, it_note, sizeof(it_note) - 1);
		max += sizeof(it_note) - 1;
	}
	line[max++] = '\n';
	soc_log_commit(c->cpu.log, max);
}
