/* tests/unit/test-riscv-decode.c — the RISC-V encoding table and decoder.
 *
 * The table must be unambiguous: no 32-bit entries overlap for one XLEN, and every compressed
 * halfword is accepted by at most one entry per XLEN (checked exhaustively, constraints
 * included). Known words decode to the expected entries and operands; reserved and disabled
 * encodings decode as illegal. */
#include "cpus/riscv/decode.h"

#include <glib.h>
#include <string.h>

static void test_no_overlap_wide(void)
{
	unsigned pairs = 0;
	for (unsigned a = 1; a < RV_OP_COUNT; a++) {
		const RvInsnInfo *ea = &rv_insn_info[a];
		if ((ea->match & 3) != 3)
			continue;
		g_assert_cmphex(ea->match & ~ea->mask, ==, 0);
		for (unsigned b = a + 1; b < RV_OP_COUNT; b++) {
			const RvInsnInfo *eb = &rv_insn_info[b];
			if ((eb->match & 3) != 3 || !(ea->xlen & eb->xlen))
				continue;
			pairs++;
			if (((ea->match ^ eb->match) & ea->mask & eb->mask) == 0)
				g_error("entries %s and %s overlap", ea->name, eb->name);
		}
	}
	g_assert_cmpuint(pairs, >, 1000);
}

static void test_no_overlap_compressed(void)
{
	unsigned accepted = 0;
	for (unsigned xlen = 32; xlen <= 64; xlen += 32) {
		for (uint32_t h = 0; h < 0x10000; h++) {
			unsigned n = 0, first = 0;
			RvDecoded d;
			if ((h & 3) == 3)
				continue;
			for (unsigned id = 1; id < RV_OP_COUNT; id++) {
				if ((rv_insn_info[id].match & 3) == 3 || !rv_entry_accepts(id, h, xlen))
					continue;
				if (n++)
					g_error("RV%u 0x%04x accepted by %s and %s", xlen, h, rv_insn_info[first].name,
					        rv_insn_info[id].name);
				first = id;
			}
			/* The decoder agrees with the exhaustive search. */
			rv_decode(h, xlen, RV_EXT_ALL, &d);
			g_assert_cmpuint(d.id, ==, n ? first : RV_OP_ILLEGAL);
			g_assert_cmpuint(d.len, ==, 2);
			accepted += n;
		}
	}
	g_assert_cmpuint(accepted, ==, 67374);
}

/* Every 32-bit entry accepts its own match value and random fillings of its free bits. */
static void test_entries_accept_themselves(void)
{
	GRand *r = g_rand_new_with_seed(42);
	for (unsigned id = 1; id < RV_OP_COUNT; id++) {
		const RvInsnInfo *e = &rv_insn_info[id];
		unsigned hits = 0;
		for (unsigned k = 0; k < 64; k++) {
			uint32_t w = (g_rand_int(r) & ~e->mask) | e->match;
			unsigned xlen = (e->xlen & RV_XL64) ? 64 : 32;
			RvDecoded d;
			if ((e->match & 3) != 3)
				w &= 0xffff;
			if (!rv_entry_accepts(id, w, xlen))
				continue;   /* a reserved filling of a compressed entry */
			hits++;
			g_assert_true(rv_decode(w, xlen, RV_EXT_ALL, &d));
			g_assert_cmpuint(d.id, ==, id);
			g_assert_cmpuint(d.exec, ==, e->exec);
		}
		if (hits == 0)
			g_error("entry %s never accepted a filling", e->name);
	}
	g_rand_free(r);
}

typedef struct {
	uint32_t raw;
	unsigned xlen;
	unsigned id, exec;
	unsigned rd, rs1, rs2;
	int32_t imm;
} Known;

static const Known known[] = {
	{ 0x00a50533, 64, RV_OP_ADD, RV_OP_ADD, 10, 10, 10, 0 },
	{ 0xfff00513, 32, RV_OP_ADDI, RV_OP_ADDI, 10, 0, 0, -1 },
	{ 0x80000537, 64, RV_OP_LUI, RV_OP_LUI, 10, 0, 0, (int32_t)0x80000000 },
	{ 0xfe0008e3, 32, RV_OP_BEQ, RV_OP_BEQ, 0, 0, 0, -16 },
	{ 0x0080056f, 64, RV_OP_JAL, RV_OP_JAL, 10, 0, 0, 8 },
	{ 0xfeb52e23, 64, RV_OP_SW, RV_OP_SW, 0, 10, 11, -4 },
	{ 0x03f51513, 64, RV_OP_SLLI64, RV_OP_SLLI, 10, 10, 0, 63 },
	{ 0x01f51513, 32, RV_OP_SLLI, RV_OP_SLLI, 10, 10, 0, 31 },
	{ 0x3400f073, 64, RV_OP_CSRRCI, RV_OP_CSRRCI, 0, 1, 0, 0x340 },
	{ 0x18b5252f, 64, RV_OP_SC_W, RV_OP_SC_W, 10, 10, 11, 0 },
	{ 0x1605352f, 64, RV_OP_LR_D, RV_OP_LR_D, 10, 10, 0, 3 },
	{ 0x02b54533, 32, RV_OP_DIV, RV_OP_DIV, 10, 10, 11, 0 },
	{ 0x12b50073, 64, RV_OP_SFENCE_VMA, RV_OP_SFENCE_VMA, 0, 10, 11, 0 },
	/* compressed: operands are those of the expansion */
	{ 0x4505, 64, RV_OP_C_LI, RV_OP_ADDI, 10, 0, 0, 1 },
	{ 0x8082, 32, RV_OP_C_JR, RV_OP_JALR, 0, 1, 0, 0 },
	{ 0x9502, 64, RV_OP_C_JALR, RV_OP_JALR, 1, 10, 0, 0 },
	{ 0x852e, 64, RV_OP_C_MV, RV_OP_ADD, 10, 0, 11, 0 },
	{ 0x952e, 64, RV_OP_C_ADD, RV_OP_ADD, 10, 10, 11, 0 },
	{ 0x0028, 64, RV_OP_C_ADDI4SPN, RV_OP_ADDI, 10, 2, 0, 8 },
	{ 0x7101, 64, RV_OP_C_ADDI16SP, RV_OP_ADDI, 2, 2, 0, -512 },
	{ 0x757d, 32, RV_OP_C_LUI, RV_OP_LUI, 10, 0, 0, -4096 },
	{ 0x2505, 64, RV_OP_C_ADDIW, RV_OP_ADDIW, 10, 10, 0, 1 },
	{ 0x2505, 32, RV_OP_C_JAL, RV_OP_JAL, 1, 0, 0, 0x620 },
	{ 0xa001, 64, RV_OP_C_J, RV_OP_JAL, 0, 0, 0, 0 },
	{ 0xc101, 64, RV_OP_C_BEQZ, RV_OP_BEQ, 0, 10, 0, 0 },
	{ 0x4108, 64, RV_OP_C_LW, RV_OP_LW, 10, 10, 0, 0 },
	{ 0xe108, 64, RV_OP_C_SD, RV_OP_SD, 0, 10, 10, 0 },
	{ 0x6502, 64, RV_OP_C_LDSP, RV_OP_LD, 10, 2, 0, 0 },
	{ 0xc02a, 32, RV_OP_C_SWSP, RV_OP_SW, 0, 2, 10, 0 },
	{ 0x8d0d, 32, RV_OP_C_SUB, RV_OP_SUB, 10, 10, 11, 0 },
	{ 0x9d2d, 64, RV_OP_C_ADDW, RV_OP_ADDW, 10, 10, 11, 0 },
	{ 0x9002, 32, RV_OP_C_EBREAK, RV_OP_EBREAK, 0, 0, 0, 0 },
	{ 0x8105, 64, RV_OP_C_SRLI64, RV_OP_SRLI, 10, 10, 0, 1 },
	{ 0x1506, 64, RV_OP_C_SLLI64, RV_OP_SLLI, 10, 10, 0, 33 },
	{ 0xfffd, 64, RV_OP_C_BNEZ, RV_OP_BNE, 0, 15, 0, -2 },
};

static void test_known_words(void)
{
	for (unsigned i = 0; i < G_N_ELEMENTS(known); i++) {
		const Known *k = &known[i];
		RvDecoded d;
		g_test_message("0x%08x RV%u", k->raw, k->xlen);
		g_assert_true(rv_decode(k->raw, k->xlen, RV_EXT_ALL & ~RV_EXT_DISAS, &d));
		g_assert_cmpstr(rv_insn_info[d.id].name, ==, rv_insn_info[k->id].name);
		g_assert_cmpuint(d.id, ==, k->id);
		g_assert_cmpuint(d.exec, ==, k->exec);
		g_assert_cmpuint(d.rd, ==, k->rd);
		g_assert_cmpuint(d.rs1, ==, k->rs1);
		g_assert_cmpuint(d.rs2, ==, k->rs2);
		g_assert_cmpint(d.imm, ==, k->imm);
		g_assert_cmpuint(d.len, ==, (k->raw & 3) == 3 ? 4 : 2);
	}
}

static const struct {
	uint32_t raw;
	unsigned xlen, ext;
} illegal[] = {
	{ 0x0000, 64, RV_EXT_ALL },          /* all-zero halfword: defined illegal */
	{ 0x6101, 64, RV_EXT_ALL },          /* c.addi16sp with a zero immediate */
	{ 0x6501, 64, RV_EXT_ALL },          /* c.lui with a zero immediate */
	{ 0x4002, 32, RV_EXT_ALL },          /* c.lwsp with rd = 0 */
	{ 0x6002, 64, RV_EXT_ALL },          /* c.ldsp with rd = 0 */
	{ 0x8002, 64, RV_EXT_ALL },          /* c.jr with rs1 = 0 */
	{ 0x2001, 64, RV_EXT_ALL },          /* c.addiw with rd = 0 */
	{ 0x1506, 32, RV_EXT_ALL },          /* c.slli with shamt[5] on RV32 */
	{ 0x9105, 32, RV_EXT_ALL },          /* c.srli with shamt[5] on RV32 */
	{ 0x9c41, 64, RV_EXT_ALL },          /* reserved CA encoding */
	{ 0x6108, 32, RV_EXT_ALL },          /* c.ld / c.flw on RV32 without F */
	{ 0x2000, 64, RV_EXT_ALL },          /* c.fld: no D */
	{ 0x00053503, 32, RV_EXT_ALL },      /* ld on RV32 */
	{ 0x0005051b, 32, RV_EXT_ALL },      /* addiw on RV32 */
	{ 0x02051513, 32, RV_EXT_ALL },      /* slli by 32 on RV32 */
	{ 0x02b50533, 64, RV_EXT_ALL & ~RV_EXT_M },   /* mul without M */
	{ 0x1005252f, 64, RV_EXT_ALL & ~RV_EXT_A },   /* lr.w without A */
	{ 0x4505, 64, RV_EXT_ALL & ~RV_EXT_C },       /* c.li without C */
	{ 0x10200073, 64, RV_EXT_ALL & ~RV_EXT_S },   /* sret without S */
	{ 0x00200073, 64, RV_EXT_ALL & ~RV_EXT_DISAS }, /* uret is never executed */
	{ 0x0000000b, 64, RV_EXT_ALL },      /* custom-0 */
	{ 0xfe000033, 64, RV_EXT_ALL },      /* unknown funct7 */
	{ 0x00102073 | (0x7c0u << 20), 64, 0 }, /* nothing enabled */
};

static void test_illegal_words(void)
{
	for (unsigned i = 0; i < G_N_ELEMENTS(illegal); i++) {
		RvDecoded d;
		g_test_message("0x%08x RV%u", illegal[i].raw, illegal[i].xlen);
		g_assert_false(rv_decode(illegal[i].raw, illegal[i].xlen, illegal[i].ext, &d));
		g_assert_cmpuint(d.id, ==, RV_OP_ILLEGAL);
		g_assert_cmpuint(d.exec, ==, RV_OP_ILLEGAL);
	}
}

/* A few disassemblies that do not need objdump (the objdump comparison is test-riscv-disas). */
static void test_disas_known(void)
{
	static const struct { uint32_t raw; unsigned xlen; uint64_t pc; const char *text; } cases[] = {
		{ 0x00000013, 64, 0, "nop" },
		{ 0x4505, 64, 0, "li\ta0,1" },
		{ 0x8082, 32, 0, "ret" },
		{ 0x0000006f, 64, 0x100, "j\t100" },
		{ 0xfe0008e3, 32, 0x10, "beqz\tzero,0" },
		{ 0xfe0008e3, 32, 0x8, "beqz\tzero,fffffff8" },
		{ 0xfe0008e3, 64, 0x8, "beqz\tzero,fffffffffffffff8" },
		{ 0x34002573, 64, 0, "csrr\ta0,mscratch" },
		{ 0xc8102573, 32, 0, "rdtimeh\ta0" },
		{ 0x7c002573, 64, 0, "csrr\ta0,0x7c0" },
		{ 0x18b5252f, 64, 0, "sc.w\ta0,a1,(a0)" },
		{ 0x0000000b, 64, 0, ".4byte\t0xb" },
		{ 0x0000, 64, 0, "unimp" },
		{ 0x10500073, 64, 0, "wfi" },
	};
	for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
		char buf[96];
		unsigned len = rv_disas(cases[i].xlen, cases[i].pc, cases[i].raw, buf, sizeof(buf));
		g_assert_cmpuint(len, ==, (cases[i].raw & 3) == 3 ? 4 : 2);
		g_assert_cmpstr(buf, ==, cases[i].text);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/riscv/decode/no-overlap-32bit", test_no_overlap_wide);
	g_test_add_func("/riscv/decode/no-overlap-compressed", test_no_overlap_compressed);
	g_test_add_func("/riscv/decode/entries-accept-themselves", test_entries_accept_themselves);
	g_test_add_func("/riscv/decode/known-words", test_known_words);
	g_test_add_func("/riscv/decode/illegal-words", test_illegal_words);
	g_test_add_func("/riscv/decode/disas-known", test_disas_known);
	return g_test_run();
}
