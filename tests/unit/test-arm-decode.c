/* tests/unit/test-arm-decode.c — the Thumb encoding table (cpus/arm/insns.def) and the
 * decoder: the table's ordering rule (an earlier entry that shares encodings with a later one
 * is a special case of it), every entry reachable, known encodings with their fields, the
 * architecture each core has (UNDEFINED, NOCP and UNPREDICTABLE where the manuals say), and
 * capstone disassembly. */
#include "tests/arm/arm-harness.h"

static const uint32_t all_features = ARM_FT_V6M | ARM_FT_V7M | ARM_FT_DSP | ARM_FT_FP | ARM_FT_FPDP |
                                     ARM_FT_FPV5 | ARM_FT_V8M;

/* Do two entries accept a common encoding? */
static bool intersect(const ArmInsnInfo *a, const ArmInsnInfo *b)
{
	return ((a->match ^ b->match) & a->mask & b->mask) == 0;
}

/* Is every encoding of a also one of b? */
static bool subset(const ArmInsnInfo *a, const ArmInsnInfo *b)
{
	return (a->mask & b->mask) == b->mask && (a->match & b->mask) == b->match;
}

/* Entries carved out of others along a field that is not a plain mask refinement: the
 * literal forms (Rn = pc, either U) and the two-register VMOV (P = U = W = 0 of VLDM/VSTM).
 * They take precedence where they overlap, as the Architecture Reference Manual's "SEE" rules
 * say; every other overlap must be a subset. */
static bool carved(unsigned op)
{
	switch (op) {
	case ARM_OP_PLD_LIT: case ARM_OP_PLI_LIT: case ARM_OP_LDRB_LIT: case ARM_OP_LDRSB_LIT:
	case ARM_OP_LDRH_LIT: case ARM_OP_LDRSH_LIT: case ARM_OP_LDR_LIT: case ARM_OP_VMOV_2S:
	case ARM_OP_VMOV_2D:
		return true;
	default:
		return false;
	}
}

/* Is the common part of a and b entirely taken by an entry before a? */
static bool shadowed(const ArmInsnInfo *a, const ArmInsnInfo *b, unsigned ia)
{
	ArmInsnInfo both = *a;
	both.match = a->match | b->match;
	both.mask = a->mask | b->mask;
	for (unsigned k = 1; k < ia; k++)
		if (arm_insn_info[k].size == a->size && subset(&both, &arm_insn_info[k]))
			return true;
	return false;
}

static void test_table_order(void)
{
	unsigned bad = 0;
	for (unsigned i = 1; i < ARM_OP_UNPRED; i++) {
		const ArmInsnInfo *a = &arm_insn_info[i];
		g_assert_true(a->size == 16 || a->size == 32);
		g_assert_cmphex(a->match & ~a->mask, ==, 0);
		if (a->size == 16) {
			g_assert_cmphex(a->mask & 0xFFFF0000u, ==, 0);
			g_assert_false(arm_is_32bit((uint16_t)a->match));
		} else {
			g_assert_true(arm_is_32bit((uint16_t)(a->match >> 16)));
		}
		for (unsigned j = i + 1; j < ARM_OP_UNPRED; j++) {
			const ArmInsnInfo *b = &arm_insn_info[j];
			if (a->size != b->size || !intersect(a, b))
				continue;
			if (!subset(a, b) && !carved(i) && !shadowed(a, b, i)) {
				g_test_message("%s (entry %u) shares encodings with the later %s (entry %u) without being "
				               "a special case of it", a->name, i, b->name, j);
				bad++;
			}
		}
	}
	g_assert_cmpuint(bad, ==, 0);
}

static void test_entries_reachable(void)
{
	for (unsigned i = 1; i < ARM_OP_UNPRED; i++) {
		const ArmInsnInfo *e = &arm_insn_info[i];
		ArmOpId first = arm_decode_lookup(e->match, e->size, all_features);
		/* The entry's own match value reaches it or an earlier special case of it. */
		g_assert_cmpuint(first, !=, ARM_OP_UNDEF);
		g_assert_cmpuint(first, <=, i);
		g_assert_true(subset(&arm_insn_info[first], e) || first == i);
	}
}

typedef struct {
	uint32_t w;
	unsigned size;
	ArmOpId op;
	ArmDecStatus st;
	int rd, rn, rm;
	uint32_t imm;
} Known;

static void check_known(const Known *k, uint32_t feat)
{
	ArmDecodeCtx x = { .pc = 0x1000, .feat = feat };
	ArmInsn d;
	ArmDecStatus st = arm_decode(&x, k->w, k->size, &d);
	g_assert_cmpint(st, ==, k->st);
	if (st != ARM_DEC_OK)
		return;
	g_assert_cmpuint(d.op, ==, k->op);
	g_assert_cmpuint(d.len, ==, k->size / 8);
	if (k->rd >= 0)
		g_assert_cmpuint(d.rd, ==, (unsigned)k->rd);
	if (k->rn >= 0)
		g_assert_cmpuint(d.rn, ==, (unsigned)k->rn);
	if (k->rm >= 0)
		g_assert_cmpuint(d.rm, ==, (unsigned)k->rm);
	if (k->imm != 0xDEADu)
		g_assert_cmphex(d.imm, ==, k->imm);
}

static void test_known_encodings(void)
{
	static const Known v7[] = {
		{ 0x2001, 16, ARM_OP_MOV_I8, ARM_DEC_OK, 0, -1, -1, 1 },                  /* movs r0, #1 */
		{ 0xF04F0101, 32, ARM_OP_MOV_I, ARM_DEC_OK, 1, -1, -1, 1 },               /* mov.w r1, #1 */
		{ 0xF04F31FF, 32, ARM_OP_MOV_I, ARM_DEC_OK, 1, -1, -1, 0xFFFFFFFF },      /* mov.w r1, #-1 */
		{ 0xF44F4180, 32, ARM_OP_MOV_I, ARM_DEC_OK, 1, -1, -1, 0x4000 },          /* mov.w r1, #0x4000 */
		{ 0x4770, 16, ARM_OP_BX, ARM_DEC_OK, -1, -1, 14, 0xDEAD },                /* bx lr */
		{ 0xE000, 16, ARM_OP_B16, ARM_DEC_OK, -1, -1, -1, 0x1004 },               /* b . + 4 */
		{ 0xD0FE, 16, ARM_OP_BCC16, ARM_DEC_OK, -1, -1, -1, 0x1000 },             /* beq . */
		{ 0xF7FFFFFE, 32, ARM_OP_BL, ARM_DEC_OK, -1, -1, -1, 0x1000 },            /* bl . */
		{ 0x4800, 16, ARM_OP_LDR_LIT16, ARM_DEC_OK, 0, -1, -1, 0x1004 },          /* ldr r0, [pc, #0] */
		{ 0xF8D12004, 32, ARM_OP_LDR_I12, ARM_DEC_OK, 2, 1, -1, 4 },              /* ldr.w r2, [r1, #4] */
		{ 0xF8512C04, 32, ARM_OP_LDR_I8, ARM_DEC_OK, 2, 1, -1, 0xFFFFFFFCu },     /* ldr r2, [r1, #-4] */
		{ 0xE92D4FF0, 32, ARM_OP_STMDB, ARM_DEC_OK, -1, 13, -1, 0x4FF0 },         /* push.w */
		{ 0xFB90F0F1, 32, ARM_OP_SDIV, ARM_DEC_OK, 0, 0, 1, 0xDEAD },             /* sdiv r0, r0, r1 */
		{ 0xFAB0F080, 32, ARM_OP_CLZ, ARM_DEC_OK, 0, 0, 0, 0xDEAD },              /* clz r0, r0 */
		{ 0xBF08, 16, ARM_OP_IT, ARM_DEC_OK, -1, -1, -1, 0x08 },                  /* it eq */
		{ 0xBF30, 16, ARM_OP_WFI16, ARM_DEC_OK, -1, -1, -1, 0xDEAD },             /* wfi */
		{ 0xDF05, 16, ARM_OP_SVC, ARM_DEC_OK, -1, -1, -1, 5 },                    /* svc #5 */
		{ 0xF3EF8014, 32, ARM_OP_MRS, ARM_DEC_OK, 0, -1, -1, 20 },                /* mrs r0, control */
		{ 0xDE00, 16, ARM_OP_UDF16, ARM_DEC_OK, -1, -1, -1, 0xDEAD },             /* udf #0 */
		{ 0x4687, 16, ARM_OP_MOV_HI, ARM_DEC_OK, -1, -1, 0, 0xDEAD },             /* mov pc, r0 */
		{ 0xEB0D0D01, 32, ARM_OP_ADD_R, ARM_DEC_OK, 13, 13, 1, 0xDEAD },          /* add.w sp, sp, r1 */
	};
	for (unsigned k = 0; k < G_N_ELEMENTS(v7); k++)
		check_known(&v7[k], ARM_FT_V6M | ARM_FT_V7M);
}

/* Each core decodes exactly its architecture. */
static void test_architectures(void)
{
	uint32_t v6 = ARM_FT_V6M, v7 = ARM_FT_V6M | ARM_FT_V7M, v7e = v7 | ARM_FT_DSP;
	uint32_t v7ef = v7e | ARM_FT_FP, m7 = v7ef | ARM_FT_FPDP | ARM_FT_FPV5, m33 = v7e | ARM_FT_V8M;
	ArmDecodeCtx x = { .pc = 0x1000 };
	ArmInsn d;

	x.feat = v6;
	g_assert_cmpint(arm_decode(&x, 0xF04F0001, 32, &d), ==, ARM_DEC_UNDEF);   /* Thumb-2 on M0 */
	g_assert_cmpint(arm_decode(&x, 0xB100, 16, &d), ==, ARM_DEC_UNDEF);       /* cbz on M0 */
	g_assert_cmpint(arm_decode(&x, 0xF000F800, 32, &d), ==, ARM_DEC_OK);      /* bl on M0 */
	g_assert_cmpint(arm_decode(&x, 0xF3BF8F5F, 32, &d), ==, ARM_DEC_OK);      /* dmb on M0 */
	g_assert_cmpint(arm_decode(&x, 0xEE300A81, 32, &d), ==, ARM_DEC_UNDEF);   /* vadd on M0 */
	x.feat = v7;
	g_assert_cmpint(arm_decode(&x, 0xFA81F012, 32, &d), ==, ARM_DEC_UNDEF);   /* qadd8 on M3 */
	g_assert_cmpint(arm_decode(&x, 0xF3220000, 32, &d), ==, ARM_DEC_UNDEF);   /* ssat16 on M3 */
	g_assert_cmpint(arm_decode(&x, 0xEE300A81, 32, &d), ==, ARM_DEC_NOCP);    /* vadd on M3 */
	g_assert_cmpint(arm_decode(&x, 0xE8D00FAF, 32, &d), ==, ARM_DEC_UNDEF);   /* lda on M3 */
	x.feat = v7e;
	g_assert_cmpint(arm_decode(&x, 0xFA81F012, 32, &d), ==, ARM_DEC_OK);      /* qadd8 on M4 */
	g_assert_cmpint(arm_decode(&x, 0xEE300A81, 32, &d), ==, ARM_DEC_NOCP);    /* vadd on M4 */
	x.feat = v7ef;
	g_assert_cmpint(arm_decode(&x, 0xEE300A81, 32, &d), ==, ARM_DEC_OK);      /* vadd.f32 on M4F */
	g_assert_cmpint(arm_decode(&x, 0xEE310B02, 32, &d), ==, ARM_DEC_UNDEF);   /* vadd.f64 on M4F */
	g_assert_cmpint(arm_decode(&x, 0xED910B00, 32, &d), ==, ARM_DEC_OK);      /* vldr d0 on M4F */
	g_assert_cmpint(arm_decode(&x, 0xFEB80A40, 32, &d), ==, ARM_DEC_UNDEF);   /* vrinta on M4F */
	x.feat = m7;
	g_assert_cmpint(arm_decode(&x, 0xEE310B02, 32, &d), ==, ARM_DEC_OK);      /* vadd.f64 on M7 */
	g_assert_cmpint(arm_decode(&x, 0xFEB80A40, 32, &d), ==, ARM_DEC_OK);      /* vrinta on M7 */
	x.feat = m33;
	g_assert_cmpint(arm_decode(&x, 0xE8D00FAF, 32, &d), ==, ARM_DEC_OK);      /* lda on M33 */
	g_assert_cmpint(arm_decode(&x, 0xE840F000, 32, &d), ==, ARM_DEC_OK);      /* tt on M33 */
	g_assert_cmpint(arm_decode(&x, 0xE840F080, 32, &d), ==, ARM_DEC_UNDEF);   /* tta: security only */
	g_assert_cmpint(arm_decode(&x, 0xEE300A81, 32, &d), ==, ARM_DEC_NOCP);    /* no FPU on this M33 */
	/* Reserved and UNPREDICTABLE field values */
	x.feat = v7;
	g_assert_cmpint(arm_decode(&x, 0x4701, 16, &d), ==, ARM_DEC_UNPRED);      /* bx with SBZ bits */
	g_assert_cmpint(arm_decode(&x, 0xEB0F0001, 32, &d), ==, ARM_DEC_UNPRED);  /* add.w r0, pc, r1 */
	g_assert_cmpint(arm_decode(&x, 0xF1BD0F00, 32, &d), ==, ARM_DEC_OK);      /* cmp.w sp, #0 */
	g_assert_cmpint(arm_decode(&x, 0xF0100000, 32, &d), ==, ARM_DEC_OK);      /* ands.w r0, r0, #0 */
	g_assert_cmpint(arm_decode(&x, 0xF0101100, 32, &d), ==, ARM_DEC_UNPRED);  /* replicated zero byte */
	g_assert_cmpint(arm_decode(&x, 0xE8BD0001, 32, &d), ==, ARM_DEC_UNPRED);  /* ldm.w with one register */
	g_assert_cmpint(arm_decode(&x, 0xBFF8, 16, &d), ==, ARM_DEC_UNPRED);      /* it with firstcond 1111 */
	x.in_it = true;
	g_assert_cmpint(arm_decode(&x, 0xB100, 16, &d), ==, ARM_DEC_UNPRED);      /* cbz in an IT block */
	g_assert_cmpint(arm_decode(&x, 0x1840, 16, &d), ==, ARM_DEC_OK);          /* add (no flags) in IT */
	g_assert_true(d.fn == arm_x_add_r);
	x.in_it = false;
	g_assert_cmpint(arm_decode(&x, 0x1840, 16, &d), ==, ARM_DEC_OK);
	g_assert_true(d.fn == arm_x_add_rs);                                         /* adds outside IT */
}

static void test_disassembly(void)
{
	ArmHarness *h = arm_harness_new("arm,cortex-m4f");
	static const uint16_t code[] = { 0xB5F0, 0xF04F, 0x0101, 0x4770, 0xEE30, 0x0A81, 0xDE00 };
	char buf[96];
	arm_harness_map(h, 0, 0x1000);
	arm_harness_write(h, 0, code, sizeof(code));
	g_assert_cmpuint(h->cpu->cls->disassemble(h->cpu, 0, buf, sizeof(buf)), ==, 2);
	g_assert_cmpstr(buf, ==, "push {r4, r5, r6, r7, lr}");
	g_assert_cmpuint(h->cpu->cls->disassemble(h->cpu, 2, buf, sizeof(buf)), ==, 4);
	g_assert_cmpstr(buf, ==, "mov.w r1, #1");
	g_assert_cmpuint(h->cpu->cls->disassemble(h->cpu, 6, buf, sizeof(buf)), ==, 2);
	g_assert_cmpstr(buf, ==, "bx lr");
	g_assert_cmpuint(h->cpu->cls->disassemble(h->cpu, 8, buf, sizeof(buf)), ==, 4);
	g_assert_cmpstr(buf, ==, "vadd.f32 s0, s1, s2");
	g_assert_cmpuint(h->cpu->cls->disassemble(h->cpu, 0x10000, buf, sizeof(buf)), ==, 0);
	arm_harness_free(h);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/arm/decode/table-order", test_table_order);
	g_test_add_func("/arm/decode/entries-reachable", test_entries_reachable);
	g_test_add_func("/arm/decode/known-encodings", test_known_encodings);
	g_test_add_func("/arm/decode/architectures", test_architectures);
	g_test_add_func("/arm/decode/disassembly", test_disassembly);
	return g_test_run();
}
