/* cpus/x86-emit.h — the x86-64 encoder shared by the block compilers (cpus/riscv/jit.c,
 * cpus/arm/jit.c): bytes into a bounded code buffer, REX/ModRM forms, the ALU, shift, move
 * and jump encoders, and the code mapping and perf map both use.
 *
 * Everything is static inline so that each compiler gets its own copy, optimised for its
 * uses; included by those two files only. Only the SOCEMU_JIT parser exists on other hosts. */
#ifndef SOC_X86_EMIT_H
#define SOC_X86_EMIT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* SOCEMU_JIT: "off" (or 0) leaves everything to the interpreters; a number is the count of
 * entries after which a block is compiled; unset or "on": `dflt`. UINT32_MAX: never. */
static inline uint32_t soc_jit_threshold_from_env(uint32_t dflt, bool available)
{
	const char *s = g_getenv("SOCEMU_JIT");
	char *end;
	guint64 v;
	if (!available)
		return UINT32_MAX;
	if (!s || !*s || !g_ascii_strcasecmp(s, "on"))
		return dflt;
	if (!g_ascii_strcasecmp(s, "off"))
		return UINT32_MAX;
	v = g_ascii_strtoull(s, &end, 10);
	if (*end || v == 0)
		return UINT32_MAX;
	return v >= UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)v;
}

#if defined(__x86_64__) && defined(__linux__)
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };
enum {
	CC_O = 0, CC_NO = 1, CC_B = 2, CC_AE = 3, CC_E = 4, CC_NE = 5, CC_BE = 6, CC_A = 7,
	CC_S = 8, CC_NS = 9, CC_L = 0xc, CC_GE = 0xd, CC_LE = 0xe, CC_G = 0xf,
};
/* Group-1 ALU operations: /digit of 0x81 and the base of the "r, r/m" opcode (digit*8+3). */
enum { ALU_ADD = 0, ALU_OR = 1, ALU_ADC = 2, ALU_SBB = 3, ALU_AND = 4, ALU_SUB = 5, ALU_XOR = 6,
       ALU_CMP = 7 };
enum { SH_ROR = 1, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };

typedef struct Emit {
	uint8_t *p, *end;
	bool overflow;
} Emit;

static inline void b1(Emit *e, unsigned v)
{
	if (e->p < e->end)
		*e->p++ = (uint8_t)v;
	else
		e->overflow = true;
}

static inline void b4(Emit *e, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		b1(e, (v >> (8 * i)) & 0xff);
}

static inline void b8(Emit *e, uint64_t v)
{
	b4(e, (uint32_t)v);
	b4(e, (uint32_t)(v >> 32));
}

static inline void rex(Emit *e, bool w, unsigned reg, unsigned base)
{
	unsigned r = 0x40 | (w ? 8 : 0) | (reg & 8 ? 4 : 0) | (base & 8 ? 1 : 0);
	if (r != 0x40)
		b1(e, r);
}

/* opcode: one byte, or 0x0fxx for two. */
static inline void opcode(Emit *e, unsigned op)
{
	if (op > 0xff)
		b1(e, op >> 8);
	b1(e, op & 0xff);
}

static inline void modrm_mem(Emit *e, unsigned reg, unsigned base, int32_t disp)
{
	unsigned mod = (disp == 0 && (base & 7) != RBP) ? 0 : (disp >= -128 && disp <= 127) ? 1 : 2;
	b1(e, mod << 6 | (reg & 7) << 3 | (base & 7));
	if ((base & 7) == RSP)
		b1(e, 0x24);
	if (mod == 1)
		b1(e, (uint8_t)disp);
	else if (mod == 2)
		b4(e, (uint32_t)disp);
}

/* op reg, [base + disp] (or the store direction, by opcode). */
static inline void rm_mem(Emit *e, bool w, unsigned op, unsigned reg, unsigned base, int32_t disp)
{
	rex(e, w, reg, base);
	opcode(e, op);
	modrm_mem(e, reg, base, disp);
}

/* op reg, rm (register form). */
static inline void rm_reg(Emit *e, bool w, unsigned op, unsigned reg, unsigned rm)
{
	rex(e, w, reg, rm);
	opcode(e, op);
	b1(e, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

static inline void ld(Emit *e, bool w, unsigned reg, unsigned base, int32_t disp)
{
	rm_mem(e, w, 0x8b, reg, base, disp);
}

static inline void st(Emit *e, bool w, unsigned reg, unsigned base, int32_t disp)
{
	rm_mem(e, w, 0x89, reg, base, disp);
}

static inline void mov_rr(Emit *e, bool w, unsigned dst, unsigned src)
{
	rm_reg(e, w, 0x89, src, dst);
}

static inline void alu_rm(Emit *e, bool w, unsigned alu, unsigned reg, unsigned base, int32_t disp)
{
	rm_mem(e, w, alu * 8 + 3, reg, base, disp);
}

static inline void alu_rr(Emit *e, bool w, unsigned alu, unsigned dst, unsigned src)
{
	rm_reg(e, w, alu * 8 + 1, src, dst);
}

static inline void alu_ri(Emit *e, bool w, unsigned alu, unsigned reg, int32_t imm)
{
	if (imm >= -128 && imm <= 127) {
		rm_reg(e, w, 0x83, alu, reg);
		b1(e, (uint8_t)imm);
	} else {
		rm_reg(e, w, 0x81, alu, reg);
		b4(e, (uint32_t)imm);
	}
}

/* op dword/qword [base + disp], imm */
static inline void alu_mi(Emit *e, bool w, unsigned alu, unsigned base, int32_t disp, int32_t imm)
{
	if (imm >= -128 && imm <= 127) {
		rm_mem(e, w, 0x83, alu, base, disp);
		b1(e, (uint8_t)imm);
	} else {
		rm_mem(e, w, 0x81, alu, base, disp);
		b4(e, (uint32_t)imm);
	}
}

/* mov dword [base + disp], imm */
static inline void st_i32(Emit *e, unsigned base, int32_t disp, uint32_t imm)
{
	rm_mem(e, false, 0xc7, 0, base, disp);
	b4(e, imm);
}

static inline void shift_ri(Emit *e, bool w, unsigned sh, unsigned reg, unsigned n)
{
	rm_reg(e, w, 0xc1, sh, reg);
	b1(e, n);
}

/* setcc on the low byte of reg (not one of rsp..rdi, which would need a bare REX). */
static inline void setcc(Emit *e, unsigned cc, unsigned reg)
{
	rm_reg(e, false, 0x0f90 | cc, 0, reg);
}

static inline void lea(Emit *e, unsigned reg, unsigned base, int32_t disp)
{
	rm_mem(e, true, 0x8d, reg, base, disp);
}

static inline void mov_ri(Emit *e, unsigned reg, uint64_t v)
{
	if (v <= UINT32_MAX) {
		rex(e, false, 0, reg);
		b1(e, 0xb8 + (reg & 7));
		b4(e, (uint32_t)v);
	} else if ((int64_t)v == (int32_t)v) {
		rm_reg(e, true, 0xc7, 0, reg);
		b4(e, (uint32_t)v);
	} else {
		rex(e, true, 0, reg);
		b1(e, 0xb8 + (reg & 7));
		b8(e, v);
	}
}

static inline uint8_t *jcc(Emit *e, unsigned cc)
{
	b1(e, 0x0f);
	b1(e, 0x80 | cc);
	b4(e, 0);
	return e->p;   /* the rel32 ends here */
}

static inline uint8_t *jmp(Emit *e)
{
	b1(e, 0xe9);
	b4(e, 0);
	return e->p;
}

static inline void patch(Emit *e, uint8_t *end, const uint8_t *target)
{
	if (!e->overflow && end)
		memcpy(end - 4, &(int32_t){ (int32_t)(target - end) }, 4);
}

static inline void jcc_to(Emit *e, unsigned cc, const uint8_t *target)
{
	patch(e, jcc(e, cc), target);
}

static inline void jmp_to(Emit *e, const uint8_t *target)
{
	patch(e, jmp(e), target);
}

static inline void call(Emit *e, const void *fn)
{
	mov_ri(e, RAX, (uint64_t)(uintptr_t)fn);
	b1(e, 0xff);
	b1(e, 0xd0);
}

/* jmp to the address in reg. */
static inline void jmp_reg(Emit *e, unsigned reg)
{
	rex(e, false, 0, reg);
	b1(e, 0xff);
	b1(e, 0xe0 | (reg & 7));
}

/* ---- chain sites ------------------------------------------------------------------------------ */

/* A direct exit's patchable jump: cmp ebp (rbp with w), imm32 = `never`; jne; jmp rel32 — both
 * to the code right after until x86_site_link points the jmp at the next block's code and puts
 * the chain tag it is valid under in the imm32. Returns the site (its layout is fixed). */
static inline uint8_t *x86_chain_site(Emit *e, bool w, uint32_t never)
{
	uint8_t *site = e->p, *out[2];
	rex(e, w, 0, RBP);
	b1(e, 0x81);
	b1(e, 0xc0 | ALU_CMP << 3 | RBP);
	b4(e, never);
	out[0] = jcc(e, CC_NE);
	out[1] = jmp(e);
	patch(e, out[0], e->p);
	patch(e, out[1], e->p);
	if (!e->overflow && e->p - site != (w ? 18 : 17))
		e->overflow = true;      /* cannot happen: the layout above is fixed */
	return e->overflow ? NULL : site;
}

static inline void x86_site_link(uint8_t *site, bool w, uint32_t tag, const uint8_t *to)
{
	int32_t rel = (int32_t)(to - (site + (w ? 18 : 17)));
	memcpy(site + (w ? 3 : 2), &tag, 4);
	memcpy(site + (w ? 14 : 13), &rel, 4);
}

/* The unlinked way out of a chain site, for the exit slot at `ex` (its tag at off_tag, compared
 * with ebp/rbp; its next block at off_to, that block's code at off_jit): when the slot is
 * chained under the current tag to a compiled block, call link(r12, ex), which links the site
 * and returns that code, and jump there. Otherwise on after it (out[2] patched to there). */
static inline void x86_chain_follow(Emit *e, const void *ex, bool w, int32_t off_tag,
                                    int32_t off_to, int32_t off_jit, const void *link)
{
	uint8_t *out[2];
	mov_ri(e, RDX, (uint64_t)(uintptr_t)ex);
	alu_rm(e, w, ALU_CMP, RBP, RDX, off_tag);
	out[0] = jcc(e, CC_NE);
	ld(e, true, RCX, RDX, off_to);
	ld(e, true, RSI, RCX, off_jit);
	alu_rr(e, true, ALU_OR, RSI, RSI);
	out[1] = jcc(e, CC_E);
	mov_rr(e, true, RDI, R12);
	mov_rr(e, true, RSI, RDX);
	call(e, link);
	jmp_reg(e, RAX);
	patch(e, out[0], e->p);
	patch(e, out[1], e->p);
}

/* ---- the code buffer ------------------------------------------------------------------------- */

/* One per core: the entry trampoline and the shared epilogue at its start, then compiled
 * blocks, appended until full and then dropped all at once. */
typedef struct X86Code {
	uint8_t *buf;
	size_t size, used;
	uint8_t *code_start;        /* first byte after the trampoline and epilogue */
	void *enter;                /* enter(cpu, code) */
	uint8_t *epilogue;
	size_t limit;               /* bytes of buf in use at most (tests make it small) */
	bool full;
	FILE *perf_map;             /* SOCEMU_JIT_PERFMAP: /tmp/perf-PID.map for perf report */
} X86Code;

/* The entry trampoline at e (enter(cpu, code): saves the callee-saved registers, keeps a
 * 16-byte-aligned frame with `scratch` bytes at [rsp], r12 = cpu, then runs `load` to set up
 * the other fixed registers and jumps to code) and the shared epilogue after it. */
static inline void x86_emit_runtime(X86Code *x, Emit *e, unsigned scratch, void (*load)(Emit *e))
{
	static const unsigned saved[] = { RBP, RBX, R12, R13, R14, R15 };

	x->enter = e->p;
	for (unsigned k = 0; k < G_N_ELEMENTS(saved); k++) {
		rex(e, false, 0, saved[k]);
		b1(e, 0x50 + (saved[k] & 7));
	}
	alu_ri(e, true, ALU_SUB, RSP, (int32_t)scratch);
	mov_rr(e, true, R12, RDI);
	load(e);
	jmp_reg(e, RSI);

	x->epilogue = e->p;
	alu_ri(e, true, ALU_ADD, RSP, (int32_t)scratch);
	for (unsigned k = G_N_ELEMENTS(saved); k-- > 0;) {
		rex(e, false, 0, saved[k]);
		b1(e, 0x58 + (saved[k] & 7));
	}
	b1(e, 0xc3);
}

/* Map `size` bytes of executable memory with the runtime in front; false when the host gives
 * none (a hardened host). */
static inline bool x86_code_init(X86Code *x, size_t size, unsigned scratch, void (*load)(Emit *e))
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	Emit e;
	if (p == MAP_FAILED)
		return false;
	memset(x, 0, sizeof(*x));
	x->buf = p;
	x->size = x->limit = size;
	e = (Emit){ .p = x->buf, .end = x->buf + size };
	x86_emit_runtime(x, &e, scratch, load);
	x->code_start = (uint8_t *)(((uintptr_t)e.p + 15) & ~(uintptr_t)15);
	x->used = (size_t)(x->code_start - x->buf);
	if (g_getenv("SOCEMU_JIT_PERFMAP")) {
		/* perf's convention for generated code: one "start size name" line per symbol. */
		g_autofree char *name = g_strdup_printf("/tmp/perf-%d.map", (int)getpid());
		x->perf_map = fopen(name, "a");
	}
	return true;
}

/* An emitter for the next block. */
static inline Emit x86_code_emit(X86Code *x)
{
	return (Emit){ .p = x->buf + x->used, .end = x->buf + x->limit };
}

/* Keep the block emitted from `start` (the code at e); false when it did not fit (the buffer
 * is full until x86_code_reset). */
static inline bool x86_code_commit(X86Code *x, const Emit *e, const uint8_t *start,
                                   const char *who, uint64_t pc)
{
	if (e->overflow) {
		x->full = true;
		return false;
	}
	x->used = (size_t)(e->p - x->buf + 15) & ~(size_t)15;
	if (x->perf_map)
		fprintf(x->perf_map, "%" G_GINT64_MODIFIER "x %zx %s:0x%" G_GINT64_MODIFIER "x\n",
		        (guint64)(uintptr_t)start, (size_t)(e->p - start), who, (guint64)pc);
	return true;
}

static inline void x86_code_set_capacity(X86Code *x, size_t bytes)
{
	x->limit = MIN((size_t)(x->code_start - x->buf) + bytes, x->size);
}

/* Forget every compiled block (none may run, and nothing may refer to them any more). */
static inline void x86_code_reset(X86Code *x)
{
	x->used = (size_t)(x->code_start - x->buf);
	x->full = false;
}

static inline void x86_code_destroy(X86Code *x)
{
	if (x->perf_map)
		fclose(x->perf_map);
	munmap(x->buf, x->size);
}

#endif   /* x86-64 Linux */
#endif
