/* cpus/riscv/disas.c — RISC-V disassembly, matching riscv64-unknown-elf-objdump -d.
 *
 * The encoding table (insns.def, through rv_decode) finds the instruction and its operands;
 * this file only chooses the text. objdump (binutils 2.40, the Debian bookworm cross tools)
 * prints the first entry of its own opcode list that matches, aliases included, so the rules
 * below reproduce its choices: `li`, `mv`, `nop`, `ret`, `j`, `jr`, `beqz`, `csrr`... for base
 * instructions, and for compressed ones the expanded form with that list's aliases (for
 * example c.addi a0,1 prints as "add a0,a0,1", c.slli as "sll"). Hint encodings that
 * objdump shows under their c.* name are printed the same way. Branch and jump targets are
 * printed as bare hexadecimal addresses (objdump appends " <symbol+offset>", which a caller
 * comparing with objdump strips). tests/unit/test-riscv-disas.c checks every compressed
 * halfword and a random corpus of every 32-bit entry against objdump. */
#include "cpus/riscv/decode.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

static const char *const reg_names[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
	"s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
	"a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
	"s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

typedef struct {
	unsigned csr;
	const char *name;
} CsrName;

static const CsrName csr_names[] = {
#define RV_CSR_NAME(num, nm) { num, nm },
#include "cpus/riscv/csr-names.def"
#undef RV_CSR_NAME
};

const char *rv_csr_name(unsigned csr)
{
	/* The table is sorted by number. */
	unsigned lo = 0, hi = G_N_ELEMENTS(csr_names);
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (csr_names[mid].csr == csr)
			return csr_names[mid].name;
		if (csr_names[mid].csr < csr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* A bounded text buffer. */
typedef struct {
	char *p;
	unsigned len, pos;
} Out;

static void G_GNUC_PRINTF(2, 3) out(Out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->pos >= o->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p + o->pos, o->len - o->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos = MIN(o->len, o->pos + (unsigned)n);
}

#define R(n) reg_names[(n) & 31]

static void csr_text(Out *o, unsigned csr)
{
	const char *n = rv_csr_name(csr);
	if (n)
		out(o, "%s", n);
	else
		out(o, "0x%x", csr);
}

static const char *const fence_sets[16] = {
	"unknown", "w", "r", "rw", "o", "ow", "or", "orw",
	"i", "iw", "ir", "irw", "io", "iow", "ior", "iorw",
};

static const char *aqrl_suffix(int aqrl)
{
	static const char *const s[4] = { "", ".rl", ".aq", ".aqrl" };
	return s[aqrl & 3];
}

static uint64_t target(unsigned xlen, uint64_t pc, int32_t off)
{
	uint64_t t = pc + (uint64_t)(int64_t)off;
	return xlen == 32 ? (uint32_t)t : t;
}

static void unknown(Out *o, const RvDecoded *d)
{
	out(o, "%s\t0x%x", d->len == 2 ? ".2byte" : ".4byte", d->raw);
}

/* Base (32-bit) instructions. */
static void disas_wide(Out *o, const RvDecoded *d, unsigned xlen, uint64_t pc)
{
	const RvInsnInfo *e = &rv_insn_info[d->id];
	unsigned rd = d->rd, rs1 = d->rs1, rs2 = d->rs2;
	int32_t imm = d->imm;

	switch (d->id) {
	case RV_OP_LUI:
	case RV_OP_AUIPC:
		out(o, "%s\t%s,0x%x", e->name, R(rd), ((uint32_t)imm >> 12) & 0xfffff);
		return;
	case RV_OP_JAL:
		if (rd == 0)
			out(o, "j\t%" G_GINT64_MODIFIER "x", target(xlen, pc, imm));
		else if (rd == 1)
			out(o, "jal\t%" G_GINT64_MODIFIER "x", target(xlen, pc, imm));
		else
			out(o, "jal\t%s,%" G_GINT64_MODIFIER "x", R(rd), target(xlen, pc, imm));
		return;
	case RV_OP_JALR:
		if (rd == 0 && rs1 == 1 && imm == 0)
			out(o, "ret");
		else if (rd == 0 && imm == 0)
			out(o, "jr\t%s", R(rs1));
		else if (rd == 0)
			out(o, "jr\t%d(%s)", imm, R(rs1));
		else if (rd == 1 && imm == 0)
			out(o, "jalr\t%s", R(rs1));
		else if (rd == 1)
			out(o, "jalr\t%d(%s)", imm, R(rs1));
		else if (imm == 0)
			out(o, "jalr\t%s,%s", R(rd), R(rs1));
		else
			out(o, "jalr\t%s,%d(%s)", R(rd), imm, R(rs1));
		return;
	case RV_OP_BEQ:
	case RV_OP_BNE:
	case RV_OP_BLT:
	case RV_OP_BGE:
	case RV_OP_BLTU:
	case RV_OP_BGEU: {
		uint64_t t = target(xlen, pc, imm);
		if ((d->id == RV_OP_BEQ || d->id == RV_OP_BNE) && rs2 == 0)
			out(o, "%sz\t%s,%" G_GINT64_MODIFIER "x", e->name, R(rs1), t);
		else if (d->id == RV_OP_BGE && rs1 == 0)
			out(o, "blez\t%s,%" G_GINT64_MODIFIER "x", R(rs2), t);
		else if (d->id == RV_OP_BGE && rs2 == 0)
			out(o, "bgez\t%s,%" G_GINT64_MODIFIER "x", R(rs1), t);
		else if (d->id == RV_OP_BLT && rs2 == 0)
			out(o, "bltz\t%s,%" G_GINT64_MODIFIER "x", R(rs1), t);
		else if (d->id == RV_OP_BLT && rs1 == 0)
			out(o, "bgtz\t%s,%" G_GINT64_MODIFIER "x", R(rs2), t);
		else
			out(o, "%s\t%s,%s,%" G_GINT64_MODIFIER "x", e->name, R(rs1), R(rs2), t);
		return;
	}
	case RV_OP_LB: case RV_OP_LH: case RV_OP_LW: case RV_OP_LD:
	case RV_OP_LBU: case RV_OP_LHU: case RV_OP_LWU:
		out(o, "%s\t%s,%d(%s)", e->name, R(rd), imm, R(rs1));
		return;
	case RV_OP_SB: case RV_OP_SH: case RV_OP_SW: case RV_OP_SD:
		out(o, "%s\t%s,%d(%s)", e->name, R(rs2), imm, R(rs1));
		return;
	case RV_OP_ADDI:
		if (rd == 0 && rs1 == 0 && imm == 0)
			out(o, "nop");
		else if (rs1 == 0)
			out(o, "li\t%s,%d", R(rd), imm);
		else if (imm == 0)
			out(o, "mv\t%s,%s", R(rd), R(rs1));
		else
			out(o, "add\t%s,%s,%d", R(rd), R(rs1), imm);
		return;
	case RV_OP_SLTIU:
		if (imm == 1)
			out(o, "seqz\t%s,%s", R(rd), R(rs1));
		else
			out(o, "sltiu\t%s,%s,%d", R(rd), R(rs1), imm);
		return;
	case RV_OP_XORI:
		if (imm == -1)
			out(o, "not\t%s,%s", R(rd), R(rs1));
		else
			out(o, "xor\t%s,%s,%d", R(rd), R(rs1), imm);
		return;
	case RV_OP_ANDI:
		if (imm == 255)
			out(o, "zext.b\t%s,%s", R(rd), R(rs1));
		else
			out(o, "and\t%s,%s,%d", R(rd), R(rs1), imm);
		return;
	case RV_OP_SLTI:
		out(o, "slti\t%s,%s,%d", R(rd), R(rs1), imm);
		return;
	case RV_OP_ORI:
		out(o, "or\t%s,%s,%d", R(rd), R(rs1), imm);
		return;
	case RV_OP_ADDIW:
		if (imm == 0)
			out(o, "sext.w\t%s,%s", R(rd), R(rs1));
		else
			out(o, "addw\t%s,%s,%d", R(rd), R(rs1), imm);
		return;
	case RV_OP_SLLI: case RV_OP_SLLI64:
		out(o, "sll\t%s,%s,0x%x", R(rd), R(rs1), imm);
		return;
	case RV_OP_SRLI: case RV_OP_SRLI64:
		out(o, "srl\t%s,%s,0x%x", R(rd), R(rs1), imm);
		return;
	case RV_OP_SRAI: case RV_OP_SRAI64:
		out(o, "sra\t%s,%s,0x%x", R(rd), R(rs1), imm);
		return;
	case RV_OP_SLLIW: case RV_OP_SRLIW: case RV_OP_SRAIW:
		/* objdump prefers the register mnemonic: "sllw a0,a0,0x3". */
		out(o, "%.3sw\t%s,%s,0x%x", e->name, R(rd), R(rs1), imm);
		return;
	case RV_OP_SUB:
		if (rs1 == 0)
			out(o, "neg\t%s,%s", R(rd), R(rs2));
		else
			out(o, "sub\t%s,%s,%s", R(rd), R(rs1), R(rs2));
		return;
	case RV_OP_SUBW:
		if (rs1 == 0)
			out(o, "negw\t%s,%s", R(rd), R(rs2));
		else
			out(o, "subw\t%s,%s,%s", R(rd), R(rs1), R(rs2));
		return;
	case RV_OP_SLTU:
		if (rs1 == 0)
			out(o, "snez\t%s,%s", R(rd), R(rs2));
		else
			out(o, "sltu\t%s,%s,%s", R(rd), R(rs1), R(rs2));
		return;
	case RV_OP_SLT:
		if (rs2 == 0)
			out(o, "sltz\t%s,%s", R(rd), R(rs1));
		else if (rs1 == 0)
			out(o, "sgtz\t%s,%s", R(rd), R(rs2));
		else
			out(o, "slt\t%s,%s,%s", R(rd), R(rs1), R(rs2));
		return;
	case RV_OP_FENCE: {
		unsigned fm = ((uint32_t)imm >> 8) & 15, pred = ((uint32_t)imm >> 4) & 15, succ = imm & 15;
		if (rd || rs1)
			unknown(o, d);
		else if (d->raw == 0x8330000f)
			out(o, "fence.tso");
		else if (fm)
			unknown(o, d);
		else if (pred == 15 && succ == 15)
			out(o, "fence");
		else
			out(o, "fence\t%s,%s", fence_sets[pred], fence_sets[succ]);
		return;
	}
	case RV_OP_FENCE_I:
		if (rd || rs1 || imm)
			unknown(o, d);
		else
			out(o, "fence.i");
		return;
	case RV_OP_CSRRW: case RV_OP_CSRRS: case RV_OP_CSRRC: {
		unsigned csr = (unsigned)imm & 0xfff;
		if (d->raw == 0xc0001073) {
			out(o, "unimp");
			return;
		}
		if (d->id == RV_OP_CSRRS && rs1 == 0) {
			static const char *const rd_alias[3] = { "rdcycle", "rdtime", "rdinstret" };
			static const char *const rdh_alias[3] = { "rdcycleh", "rdtimeh", "rdinstreth" };
			if (csr >= 0xc00 && csr <= 0xc02) {
				out(o, "%s\t%s", rd_alias[csr - 0xc00], R(rd));
				return;
			}
			if (xlen == 32 && csr >= 0xc80 && csr <= 0xc82) {
				out(o, "%s\t%s", rdh_alias[csr - 0xc80], R(rd));
				return;
			}
			out(o, "csrr\t%s,", R(rd));
			csr_text(o, csr);
			return;
		}
		if (rd == 0) {
			out(o, "%s\t", d->id == RV_OP_CSRRW ? "csrw" : d->id == RV_OP_CSRRS ? "csrs" : "csrc");
			csr_text(o, csr);
			out(o, ",%s", R(rs1));
			return;
		}
		out(o, "%s\t%s,", e->name, R(rd));
		csr_text(o, csr);
		out(o, ",%s", R(rs1));
		return;
	}
	case RV_OP_CSRRWI: case RV_OP_CSRRSI: case RV_OP_CSRRCI: {
		unsigned csr = (unsigned)imm & 0xfff;
		if (rd == 0) {
			out(o, "%s\t", d->id == RV_OP_CSRRWI ? "csrw" : d->id == RV_OP_CSRRSI ? "csrs" : "csrc");
			csr_text(o, csr);
			out(o, ",%u", d->zimm);
			return;
		}
		out(o, "%.5s\t%s,", e->name, R(rd));
		csr_text(o, csr);
		out(o, ",%u", d->zimm);
		return;
	}
	case RV_OP_LR_W: case RV_OP_LR_D:
		out(o, "%s%s\t%s,(%s)", e->name, aqrl_suffix(imm), R(rd), R(rs1));
		return;
	case RV_OP_SFENCE_VMA:
		if (rs1 == 0 && rs2 == 0)
			out(o, "sfence.vma");
		else if (rs2 == 0)
			out(o, "sfence.vma\t%s", R(rs1));
		else
			out(o, "sfence.vma\t%s,%s", R(rs1), R(rs2));
		return;
	default:
		break;
	}
	switch (e->fmt) {
	case RV_FMT_SYS:
		out(o, "%s", e->name);
		return;
	case RV_FMT_AMO:
		out(o, "%s%s\t%s,%s,(%s)", e->name, aqrl_suffix(imm), R(rd), R(rs2), R(rs1));
		return;
	case RV_FMT_R:
		out(o, "%s\t%s,%s,%s", e->name, R(rd), R(rs1), R(rs2));
		return;
	default:
		unknown(o, d);
		return;
	}
}

/* Compressed instructions, as objdump shows them: mostly the expanded operation under the
 * alias its list finds first, hints under their c.* name. */
static void disas_short(Out *o, const RvDecoded *d, unsigned xlen, uint64_t pc)
{
	unsigned rd = d->rd, rs1 = d->rs1, rs2 = d->rs2;
	int32_t imm = d->imm;

	switch (d->id) {
	case RV_OP_C_ADDI4SPN:
		out(o, "add\t%s,sp,%d", R(rd), imm);
		return;
	case RV_OP_C_LW: case RV_OP_C_LWSP:
		out(o, "lw\t%s,%d(%s)", R(rd), imm, R(rs1));
		return;
	case RV_OP_C_LD: case RV_OP_C_LDSP:
		out(o, "ld\t%s,%d(%s)", R(rd), imm, R(rs1));
		return;
	case RV_OP_C_SW: case RV_OP_C_SWSP:
		out(o, "sw\t%s,%d(%s)", R(rs2), imm, R(rs1));
		return;
	case RV_OP_C_SD: case RV_OP_C_SDSP:
		out(o, "sd\t%s,%d(%s)", R(rs2), imm, R(rs1));
		return;
	case RV_OP_C_ADDI:
		if (rd == 0 && imm == 0)
			out(o, "nop");
		else if (rd == 0)
			out(o, "c.nop\t%d", imm);
		else
			out(o, "add\t%s,%s,%d", R(rd), R(rd), imm);
		return;
	case RV_OP_C_ADDI16SP:
		out(o, "add\tsp,sp,%d", imm);
		return;
	case RV_OP_C_JAL:
		out(o, "jal\t%" G_GINT64_MODIFIER "x", target(xlen, pc, imm));
		return;
	case RV_OP_C_ADDIW:
		if (imm == 0)
			out(o, "sext.w\t%s,%s", R(rd), R(rd));
		else
			out(o, "addw\t%s,%s,%d", R(rd), R(rd), imm);
		return;
	case RV_OP_C_LI:
		if (rd == 0)
			out(o, "c.li\tzero,%d", imm);
		else
			out(o, "li\t%s,%d", R(rd), imm);
		return;
	case RV_OP_C_LUI:
		if (rd == 0)
			out(o, "c.lui\tzero,0x%x", ((uint32_t)imm >> 12) & 0xfffff);
		else
			out(o, "lui\t%s,0x%x", R(rd), ((uint32_t)imm >> 12) & 0xfffff);
		return;
	case RV_OP_C_SRLI: case RV_OP_C_SRLI64:
		if (imm == 0)
			out(o, "c.srli64\t%s", R(rd));
		else
			out(o, "srl\t%s,%s,0x%x", R(rd), R(rd), imm);
		return;
	case RV_OP_C_SRAI: case RV_OP_C_SRAI64:
		if (imm == 0)
			out(o, "c.srai64\t%s", R(rd));
		else
			out(o, "sra\t%s,%s,0x%x", R(rd), R(rd), imm);
		return;
	case RV_OP_C_ANDI:
		out(o, "and\t%s,%s,%d", R(rd), R(rd), imm);
		return;
	case RV_OP_C_SUB: case RV_OP_C_XOR: case RV_OP_C_OR: case RV_OP_C_AND:
	case RV_OP_C_SUBW: case RV_OP_C_ADDW:
		out(o, "%s\t%s,%s,%s", rv_insn_info[d->id].name + 2, R(rd), R(rd), R(rs2));
		return;
	case RV_OP_C_J:
		out(o, "j\t%" G_GINT64_MODIFIER "x", target(xlen, pc, imm));
		return;
	case RV_OP_C_BEQZ: case RV_OP_C_BNEZ:
		out(o, "%s\t%s,%" G_GINT64_MODIFIER "x", d->id == RV_OP_C_BEQZ ? "beqz" : "bnez", R(rs1),
		    target(xlen, pc, imm));
		return;
	case RV_OP_C_SLLI: case RV_OP_C_SLLI64:
		if (imm == 0)
			out(o, "c.slli64\t%s", R(rd));
		else if (rd == 0)
			out(o, "c.slli\tzero,0x%x", imm);
		else
			out(o, "sll\t%s,%s,0x%x", R(rd), R(rd), imm);
		return;
	case RV_OP_C_JR:
		if (rs1 == 1)
			out(o, "ret");
		else
			out(o, "jr\t%s", R(rs1));
		return;
	case RV_OP_C_JALR:
		out(o, "jalr\t%s", R(rs1));
		return;
	case RV_OP_C_MV:
		if (rd == 0)
			out(o, "c.mv\tzero,%s", R(rs2));
		else
			out(o, "mv\t%s,%s", R(rd), R(rs2));
		return;
	case RV_OP_C_ADD:
		if (rd == 0)
			out(o, "c.add\tzero,%s", R(rs2));
		else
			out(o, "add\t%s,%s,%s", R(rd), R(rd), R(rs2));
		return;
	case RV_OP_C_EBREAK:
		out(o, "ebreak");
		return;
	default:
		unknown(o, d);
		return;
	}
}

/* Encodings that the table (rightly) rejects but objdump still shows: it does not check
 * shift amounts against XLEN, and prints a few reserved compressed encodings. */
static bool disas_relaxed(Out *o, RvDecoded *d, unsigned xlen, uint32_t raw)
{
	RvDecoded d64;

	if (d->len == 2 && raw == 0) {
		out(o, "unimp");
		return true;
	}
	if (d->len == 2 && (raw & 0xef83) == 0x6101) {   /* c.addi16sp with a zero immediate */
		out(o, "add\tsp,sp,0");
		return true;
	}
	if (xlen == 32 && rv_decode(raw, 64, RV_EXT_ALL, &d64)) {
		switch (d64.id) {
		case RV_OP_SLLI64: case RV_OP_SRLI64: case RV_OP_SRAI64:
		case RV_OP_C_SLLI64: case RV_OP_C_SRLI64: case RV_OP_C_SRAI64:
			*d = d64;
			return false;
		default:
			break;
		}
	}
	unknown(o, d);
	return true;
}

unsigned rv_disas(unsigned xlen, uint64_t pc, uint32_t raw, char *buf, unsigned buflen)
{
	RvDecoded d;
	Out o = { buf, buflen, 0 };

	if (buflen)
		buf[0] = '\0';
	if (!rv_decode(raw, xlen, RV_EXT_ALL, &d) && disas_relaxed(&o, &d, xlen, raw))
		return d.len;
	if (d.len == 2)
		disas_short(&o, &d, xlen, pc);
	else
		disas_wide(&o, &d, xlen, pc);
	return d.len;
}
