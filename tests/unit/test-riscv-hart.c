/* tests/unit/test-riscv-hart.c — privileged behaviour of the RISC-V harts, with directed
 * programs built in C (tests/riscv/rv-asm.h): configuration from the cpu node, every exception
 * cause with its mcause/mtval, delegation to S, vectored mtvec, xRET, interrupts through the
 * irq inputs, WFI, counters and counter enables, PMP, unimplemented CSRs, self-modifying code,
 * LR/SC across harts, semihosting call-out, tracing, exact time for devices. */
#include "tests/riscv/harness.h"
#include "tests/riscv/rv-asm.h"
#include "cpus/riscv/internal.h"   /* rv_jit_set_capacity */
#include "core/error.h"
#include "core/irq.h"

#include <glib.h>
#include <string.h>

#define RAM 0x10000000u
#define RAM_SIZE 0x100000u
#define CODE RAM
#define HANDLER (RAM + 0x800)       /* "j ." : traps park here */
#define SHANDLER (RAM + 0x900)      /* the same for S-mode */
#define UCODE (RAM + 0x1000)
#define DATA (RAM + 0x80000)
#define MMIO 0x20000000u
#define NOWHERE 0x30000000u         /* unmapped */

enum {
	CSR_SSTATUS = 0x100, CSR_SIE = 0x104, CSR_STVEC = 0x105, CSR_SCOUNTEREN = 0x106, CSR_SEPC = 0x141,
	CSR_SCAUSE = 0x142, CSR_STVAL = 0x143, CSR_SIP = 0x144, CSR_SATP = 0x180,
	CSR_MSTATUS = 0x300, CSR_MISA = 0x301, CSR_MEDELEG = 0x302, CSR_MIDELEG = 0x303, CSR_MIE = 0x304,
	CSR_MTVEC = 0x305, CSR_MCOUNTEREN = 0x306, CSR_MCOUNTINHIBIT = 0x320, CSR_MSCRATCH = 0x340,
	CSR_MEPC = 0x341, CSR_MCAUSE = 0x342, CSR_MTVAL = 0x343, CSR_MIP = 0x344,
	CSR_PMPCFG0 = 0x3a0, CSR_PMPADDR0 = 0x3b0, CSR_MCYCLE = 0xb00, CSR_MINSTRET = 0xb02,
	CSR_CYCLE = 0xc00, CSR_TIME = 0xc01, CSR_INSTRET = 0xc02, CSR_MHARTID = 0xf14,
};

static const RvtHartSpec rv64s = { .isa = "rv64imac_zicsr_zifencei", .mmu_type = "riscv,sv39",
                                   .reset_vector = CODE };
static const RvtHartSpec rv32m = { .isa = "rv32imac", .reset_vector = CODE };
static const RvtHartSpec rv32mu = { .isa = "rv32imacu", .reset_vector = CODE };

static RvtEnv *setup(const RvtHartSpec *spec)
{
	RvtEnv *env = rvt_env_new(RAM, RAM_SIZE);
	uint32_t park = RVA_JAL(0, 0);
	rvt_env_set_harts(env, spec, 1);
	rvt_put_words(env, HANDLER, &park, 1);
	rvt_put_words(env, SHANDLER, &park, 1);
	g_assert_true(soc_riscv_write_csr(env->harts[0], CSR_MTVEC, HANDLER));
	/* Give S and U access to everything, as firmware does (without any PMP entry they have
	 * none: see test_pmp). */
	g_assert_true(soc_riscv_write_csr(env->harts[0], 0x3b0, ~0ull));
	g_assert_true(soc_riscv_write_csr(env->harts[0], 0x3a0, 0x1f));
	return env;
}

static uint64_t csr(SocCpu *cpu, unsigned n)
{
	uint64_t v = 0;
	g_assert_true(soc_riscv_read_csr(cpu, n, &v));
	return v;
}

static void set_csr(SocCpu *cpu, unsigned n, uint64_t v)
{
	g_assert_true(soc_riscv_write_csr(cpu, n, v));
}

static uint64_t pc(SocCpu *cpu)
{
	return cpu->cls->get_pc(cpu);
}

static uint64_t reg(SocCpu *cpu, unsigned n)
{
	return soc_riscv_get_xreg(cpu, n);
}

/* Load `w` at CODE and run until the hart parks in the trap handler (or n instructions). */
static void run_code(RvtEnv *env, const uint32_t *w, unsigned n_words, uint64_t max)
{
	rvt_put_words(env, CODE, w, n_words);
	rvt_run(env->harts[0], max);
}

static void expect_trap(SocCpu *cpu, uint64_t cause, uint64_t epc, uint64_t tval)
{
	g_assert_cmphex(pc(cpu), ==, HANDLER);
	g_assert_cmphex(csr(cpu, CSR_MCAUSE), ==, cause);
	g_assert_cmphex(csr(cpu, CSR_MEPC), ==, epc);
	g_assert_cmphex(csr(cpu, CSR_MTVAL), ==, tval);
}

/* ---- configuration --------------------------------------------------------------------------- */

static void test_isa_accepted(void)
{
	static const char *const exts[] = { "i", "m", "a", "c", "zicsr", "zifencei", NULL };
	static const struct { RvtHartSpec spec; unsigned xlen; uint64_t misa; } ok[] = {
		{ { .isa = "rv32imac" }, 32, 0x40001105 },
		{ { .isa = "rv64imac_zicsr_zifencei" }, 64, 0x8000000000001105ull },
		{ { .isa = "RV64IMAC_Zicsr_Zifencei_Zicntr_Zihpm" }, 64, 0x8000000000001105ull },
		{ { .isa = "rv64i2p1_m2p0_a2p1_c2p0_zicsr2p0_zifencei2p0" }, 64, 0x8000000000001105ull },
		{ { .isa = "rv64imacsu" }, 64, 0x8000000000141105ull },
		{ { .isa = "rv32imacu" }, 32, 0x40101105 },
		{ { .isa = "rv32i" }, 32, 0x40000100 },
		{ { .isa = "rv32ima_zihintpause_zaamo_zalrsc_zmmul" }, 32, 0x40001101 },
		{ { .isa = "rv64imac", .mmu_type = "riscv,sv39" }, 64, 0x8000000000141105ull },
		{ { .isa = "rv64imac", .mmu_type = "riscv,none" }, 64, 0x8000000000001105ull },
		{ { .isa_base = "rv64i", .isa_exts = exts }, 64, 0x8000000000001105ull },
	};
	for (unsigned i = 0; i < G_N_ELEMENTS(ok); i++) {
		RvtEnv *env = rvt_env_new(RAM, RAM_SIZE);
		g_autoptr(GError) err = NULL;
		SocCpu *cpu = rvt_create(env, &ok[i].spec, 1, 0, &err);
		g_assert_no_error(err);
		g_assert_nonnull(cpu);
		g_assert_cmpuint(soc_riscv_xlen(cpu), ==, ok[i].xlen);
		g_assert_cmphex(csr(cpu, CSR_MISA), ==, ok[i].misa);
		g_assert_cmpstr(cpu->cls->name, ==, "riscv");
		env->harts[0] = cpu;
		env->n_harts = 1;
		rvt_env_free(env);
	}
}

static void test_isa_rejected(void)
{
	static const char *const with_f[] = { "i", "m", "f", NULL };
	static const char *const no_i[] = { "m", "a", NULL };
	static const struct { RvtHartSpec spec; int code; const char *needle; } bad[] = {
		{ { .isa = "rv64imafdc" }, SOC_ERROR_UNSUPPORTED, "\"f\"" },
		{ { .isa = "rv64gc" }, SOC_ERROR_UNSUPPORTED, "\"g (f, d)\"" },
		{ { .isa = "rv32e" }, SOC_ERROR_UNSUPPORTED, "\"e\"" },
		{ { .isa = "rv64imacv" }, SOC_ERROR_UNSUPPORTED, "\"v\"" },
		{ { .isa = "rv64imach" }, SOC_ERROR_UNSUPPORTED, "\"h\"" },
		{ { .isa = "rv64imac_zba" }, SOC_ERROR_UNSUPPORTED, "\"zba\"" },
		{ { .isa = "rv64imac_sstc" }, SOC_ERROR_UNSUPPORTED, "\"sstc\"" },
		{ { .isa = "rv64ic_zmmul" }, SOC_ERROR_UNSUPPORTED, "\"zmmul\"" },
		{ { .isa = "rv128i" }, SOC_ERROR_PROPERTY, "rv32 or rv64" },
		{ { .isa = "x86" }, SOC_ERROR_PROPERTY, "rv32 or rv64" },
		{ { .isa = "rv64m" }, SOC_ERROR_PROPERTY, "base must be i" },
		{ { .isa = "rv64i-m" }, SOC_ERROR_PROPERTY, "unexpected character" },
		{ { .isa = NULL }, SOC_ERROR_PROPERTY, "riscv,isa" },
		{ { .isa_base = "rv64i", .isa_exts = with_f }, SOC_ERROR_UNSUPPORTED, "\"f\"" },
		{ { .isa_base = "rv64i", .isa_exts = no_i }, SOC_ERROR_PROPERTY, "must list \"i\"" },
		{ { .isa_base = "rv64i" }, SOC_ERROR_PROPERTY, "riscv,isa-extensions" },
		{ { .isa_base = "rv64imac", .isa_exts = with_f }, SOC_ERROR_PROPERTY, "rv32i or rv64i" },
	};
	for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
		RvtEnv *env = rvt_env_new(RAM, RAM_SIZE);
		g_autoptr(GError) err = NULL;
		SocCpu *cpu = rvt_create(env, &bad[i].spec, 1, 0, &err);
		g_test_message("isa %s: %s", bad[i].spec.isa ? bad[i].spec.isa : "(list)", err ? err->message : "accepted");
		g_assert_null(cpu);
		g_assert_error(err, SOC_ERROR, bad[i].code);
		g_assert_true(g_str_has_prefix(err->message, "/cpus/cpu@0: "));
		g_assert_nonnull(strstr(err->message, bad[i].needle));
		rvt_env_free(env);
	}
}

static void test_reset_state(void)
{
	RvtHartSpec specs[2] = { rv64s, rv64s };
	RvtEnv *env = rvt_env_new(RAM, RAM_SIZE);
	SocCpu *cpu;

	specs[1].hartid = 5;
	specs[1].reset_vector = CODE + 0x40;
	rvt_env_set_harts(env, specs, 2);
	cpu = env->harts[1];
	g_assert_cmphex(pc(cpu), ==, CODE + 0x40);
	g_assert_cmpuint(reg(cpu, RV_A0), ==, 5);
	g_assert_cmpuint(csr(cpu, CSR_MHARTID), ==, 5);
	g_assert_cmpuint(soc_riscv_hartid(cpu), ==, 5);
	g_assert_cmpuint(soc_riscv_priv(cpu), ==, 3);
	g_assert_cmpint(cpu->state, ==, SOC_CPU_RUNNING);
	for (unsigned c = 0xf11; c <= 0xf13; c++)
		g_assert_cmpuint(csr(cpu, c), ==, 0);
	/* mstatus: UXL = SXL = 2 on RV64, FS and SD zero. */
	g_assert_cmphex(csr(cpu, CSR_MSTATUS) & 0xf00000000ull, ==, 0xa00000000ull);
	soc_riscv_set_boot_args(cpu, 0x10008000);
	g_assert_cmphex(reg(cpu, RV_A1), ==, 0x10008000);
	cpu->cls->set_entry(cpu, CODE + 0x100);
	soc_riscv_set_xreg(cpu, RV_A0, 99);
	cpu->cls->reset(cpu);
	g_assert_cmphex(pc(cpu), ==, CODE + 0x100);
	g_assert_cmpuint(reg(cpu, RV_A0), ==, 5);
	g_assert_cmphex(reg(cpu, RV_A1), ==, 0x10008000);
	g_assert_cmpuint(reg(cpu, 0), ==, 0);
	g_assert_cmpuint(env->harts[0]->insns, ==, 0);
	rvt_env_free(env);
}

/* ---- exceptions -------------------------------------------------------------------------------- */

static void test_illegal_instruction(void)
{
	RvtEnv *env = setup(&rv64s);
	SocCpu *cpu = env->harts[0];
	uint32_t prog[] = { RVA_NOP, 0x0000000b };
	run_code(env, prog, 2, 10);
	expect_trap(cpu, 2, CODE + 4, 0x0000000b);
	g_assert_cmpuint(cpu->insns, ==, 10);   /* the trap itself retires nothing */
	rvt_env_free(env);

	/* A compressed illegal word: mtval holds its 16 bits. */
	env = setup(&rv64s);
	cpu = env->harts[0];
	{
		uint32_t p2[] = { 0x40020001 };   /* c.nop; c.lwsp x0 (reserved) */
		run_code(env, p2, 1, 3);
		expect_trap(cpu, 2, CODE + 2, 0x4002);
	}
	rvt_env_free(env);

	/* The all-zero halfword. */
	env = setup(&rv32m);
	cpu = env->harts[0];
	{
		uint32_t p3[] = { 0 };
		run_code(env, p3, 1, 3);
		expect_trap(cpu, 2, CODE, 0);
	}
	rvt_env_free(env);
}

static void test_breakpoint_and_ecall(void)
{
	RvtEnv *env = setup(&rv32m);
	SocCpu *cpu = env->harts[0];
	uint32_t prog[] = { RVA_NOP, RVA_EBREAK };
	run_code(env, prog, 2, 2);
	expect_trap(cpu, 3, CODE + 4, CODE + 4);
	/* c.ebreak */
	soc_riscv_set_pc(cpu, CODE);
	{
		uint32_t p2[] = { 0x90020001 };
		run_code(env, p2, 1, 2);
		expect_trap(cpu, 3, CODE + 2, CODE + 2);
	}
	soc_riscv_set_pc(cpu, CODE);
	{
		uint32_t p3[] = { RVA_ECALL };
		run_code(env, p3, 1, 1);
		expect_trap(cpu, 11, CODE, 0);
		/* MPP records M, MIE was 0 so MPIE is 0. */
		g_assert_cmphex(csr(cpu, CSR_MSTATUS) & 0x1888, ==, 0x1800);
	}
	rvt_env_free(env);
}

static void test_access_faults(void)
{
	RvtEnv *env = setup(&rv64s);
	SocCpu *cpu = env->harts[0];
	uint32_t load[] = { RVA_LUI(RV_T0, NOWHERE >> 12), RVA_LW(RV_A0, RV_T0, 8) };
	uint32_t store[] = { RVA_LUI(RV_T0, NOWHERE >> 12), RVA_SD(RV_A0, RV_T0, -8) };
	uint32_t amo[] = { RVA_LUI(RV_T0, NOWHERE >> 12), RVA_AMOADD_W(RV_A0, RV_A1, RV_T0) };
	uint32_t fetch[] = { RVA_LUI(RV_T0, NOWHERE >> 12), RVA_JALR(RV_RA, RV_T0, 0x10) };

	soc_riscv_set_xreg(cpu, RV_A0, 0x1234);
	run_code(env, load, 2, 3);
	expect_trap(cpu, 5, CODE + 4, NOWHERE + 8);
	g_assert_cmpuint(reg(cpu, RV_A0), ==, 0x1234);   /* rd untouched */
	soc_riscv_set_pc(cpu, CODE);
	run_code(env, store, 2, 3);
	expect_trap(cpu, 7, CODE + 4, NOWHERE - 8);
	soc_riscv_set_pc(cpu, CODE);
	run_code(env, amo, 2, 3);
	expect_trap(cpu, 7, CODE + 4, NOWHERE);
	soc_riscv_set_pc(cpu, CODE);
	run_code(env, fetch, 2, 3);
	expect_trap(cpu, 1, NOWHERE + 0x10, NOWHERE + 0x10);
	g_assert_cmphex(reg(cpu, RV_RA), ==, CODE + 8);   /* the jump itself completed */
	rvt_env_free(env);
}

static void test_store_to_rom(void)
{
	RvtEnv *env = setup(&rv32m);
	SocCpu *cpu = env->harts[0];
	g_autoptr(GError) err = NULL;
	SocRamBlock *rom = soc_ram_new("/rom", 0x1000, true, &err);
	uint32_t prog[] = { RVA_LUI(RV_T0, 0x40000), RVA_LW(RV_A0, RV_T0, 0), RVA_SW(RV_A0, RV_T0, 0) };
	uint32_t val = 0xcafef00d;

	g_assert_no_error(err);
	g_assert_true(soc_as_map_ram(env->as, 0x40000000, 0x1000, rom, 0, "/rom", &err));
	g_assert_true(soc_as_write_bytes(env->as, 0x40000000, &val, 4, NULL));
	run_code(env, prog, 3, 4);
	g_assert_cmphex(reg(cpu, RV_A0), ==, 0xcafef00d);
	expect_trap(cpu, 7, CODE + 8, 0x40000000);
	soc_ram_unref(rom);
	rvt_env_free(env);
}

static void test_misaligned(void)
{
	RvtEnv *env = setup(&rv64s);
	SocCpu *cpu = env->harts[0];
	uint64_t pattern = 0x8877665544332211ull, pattern2 = 0xffeeddccbbaa9988ull;
	/* Misaligned loads and stores to RAM are done, even across a page. */
	uint32_t prog[] = {
		RVA_LUI(RV_T0, (DATA + 0x1000) >> 12), RVA_ADDI(RV_T0, RV_T0, -4),
		RVA_LD(RV_A0, RV_T0, 1),            /* bytes fffd..1004: crosses the page */
		RVA_LW(RV_A1, RV_T0, 3),
		RVA_LHU(RV_A2, RV_T0, 7),
		RVA_SW(RV_A1, RV_T0, 0x21),
		RVA_LW(RV_A3, RV_T0, 0x21),
		RVA_LR_W(RV_A4, RV_T0) | (0u << 15),
	};
	g_assert_true(soc_as_write_bytes(env->as, DATA + 0x1000 - 4, &pattern, 8, NULL));
	g_assert_true(soc_as_write_bytes(env->as, DATA + 0x1000 + 4, &pattern2, 8, NULL));
	prog[7] = rva_r(0x08, 0, RV_T1, 2, RV_A4, 0x2f);   /* lr.w a4,(t1), t1 misaligned */
	soc_riscv_set_xreg(cpu, RV_T1, DATA + 2);
	run_code(env, prog, G_N_ELEMENTS(prog), 9);
	g_assert_cmphex(reg(cpu, RV_A0), ==, 0x8888776655443322ull);
	g_assert_cmphex(reg(cpu, RV_A1), ==, 0x77665544);
	g_assert_cmphex(reg(cpu, RV_A2), ==, 0x8888);
	g_assert_cmphex(reg(cpu, RV_A3), ==, 0x77665544);
	/* Misaligned LR: load address misaligned. */
	expect_trap(cpu, 4, CODE + 28, DATA + 2);
	/* Misaligned AMO and SC: store/AMO address misaligned. */
	soc_riscv_set_pc(cpu, CODE);
	{
		uint32_t p2[] = { RVA_AMOSWAP_W(RV_A0, RV_A1, RV_T1) };
		run_code(env, p2, 1, 2);
		expect_trap(cpu, 6, CODE, DATA + 2);
	}
	soc_riscv_set_pc(cpu, CODE);
	{
		uint32_t p3[] = { RVA_SC_W(RV_A0, RV_A1, RV_T1) };
		run_code(env, p3, 1, 2);
		expect_trap(cpu, 6, CODE, DATA + 2);
	}
	rvt_env_free(env);
}

/* Without C, a jump to a 2-aligned address traps on the jump (mepc = the jump). */
static void test_misaligned_fetch_without_c(void)
{
	RvtHartSpec spec = { .isa = "rv64ima", .reset_vector = CODE };
	RvtEnv *env = setup(&spec);
	SocCpu *cpu = env->harts[0];
	uint32_t prog[] = { RVA_AUIPC(RV_T0, 0), RVA_JALR(RV_RA, RV_T0, 0x22) };
	uint32_t p2[] = { RVA_NOP, RVA_JAL(RV_RA, 6) };
	uint32_t p3[] = { RVA_NOP, RVA_BEQ(0, RV_A0, 10), RVA_BNE(0, 0, 10), RVA_NOP };

	run_code(env, prog, 2, 3);
	expect_trap(cpu, 0, CODE + 4, CODE + 0x22);
	g_assert_cmphex(reg(cpu, RV_RA), !=, CODE + 8);   /* no link written */
	soc_riscv_set_pc(cpu, CODE);
	run_code(env, p2, 2, 3);
	expect_trap(cpu, 0, CODE + 4, CODE + 10);
	/* A branch to a misaligned target traps only when taken. */
	soc_riscv_set_pc(cpu, CODE);
	soc_riscv_set_xreg(cpu, RV_A0, 1);
	run_code(env, p3, 4, 3);
	g_assert_cmphex(pc(cpu), ==, CODE + 12);
	soc_riscv_set_xreg(cpu, RV_A0, 0);
	soc_riscv_set_pc(cpu, CODE);
	rvt_run(cpu, 3);
	expect_trap(cpu, 0, CODE + 4, CODE + 14);
	/* Compressed instructions are illegal without C. */
	soc_riscv_set_pc(cpu, CODE);
	{
		uint32_t p4[] = { 0x00014505 };   /* c.li a0,1 */
		run_code(env, p4, 1, 2);
		expect_trap(cpu, 2, CODE, 0x4505);
	}
	rvt_env_free(env);
}

/* ---- CSRs ------------------------------------------------------------------------------------ */

static void test_unimplemented_csrs(void)
{
	static const unsigned absent64[] = {
		0x001, 0x002, 0x003, 0x008, 0x015, 0x14d, 0x600, 0x7a0, 0x7b0, 0x747, 0x34a, 0x34b,
		0x3a1, 0x3a3, 0x3a4, 0x3c0, 0x3ef, 0x7c0, 0xc80, 0xc81, 0xb80, 0x31a, 0x310, 0xfc0,
		0x0c0, 0x5c0, 0xb01, 0xda0, 0xdb0,
	};
	RvtEnv *env = setup(&rv64s);
	SocCpu *cpu = env->harts[0];
	for (unsigned i = 0; i < G_N_ELEMENTS(absent64); i++) {
		uint32_t prog[] = { RVA_CSRR(RV_A0, absent64[i]) };
		soc_riscv_set_pc(cpu, CODE);
		run_code(env, prog, 1, 1);
		g_test_message("csr 0x%x", absent64[i]);
		expect_trap(cpu, 2, CODE, prog[0]);
	}
	rvt_env_free(env);

	/* Without S-mode, S CSRs and the delegation registers do not exist; without U, neither
	 * do mcounteren and menvcfg. */
	env = setup(&rv32m);
	cpu = env->harts[0];
	{
		static const unsigned absent32m[] = { 0x100, 0x105, 0x180, 0x302, 0x303, 0x306, 0x30a, 0x106 };
		for (unsigned i = 0; i < G_N_ELEMENTS(absent32m); i++) {
			uint32_t prog[] = { RVA_CSRR(RV_A0, absent32m[i]) };
			soc_riscv_set_pc(cpu, CODE);
			run_code(env, prog, 1, 1);
			expect_trap(cpu, 2, CODE, prog[0]);
		}
		/* RV32 has the high halves and mstatush. */
		{
			static const unsigned present32[] = { 0xc80, 0xc81, 0xc82, 0xb80, 0xb82, 0x310, 0x3a1, 0x3a3 };
			for (unsigned i = 0; i < G_N_ELEMENTS(present32); i++) {
				uint32_t prog[] = { RVA_CSRR(RV_A0, present32[i]) };
				soc_riscv_set_pc(cpu, CODE);
				run_code(env, prog, 1, 1);
				g_assert_cmphex(pc(cpu), ==, CODE + 4);
			}
		}
	}
	rvt_env_free(env);
}

static void test_csr_fields(void)
{
	RvtEnv *env = setup(&rv64s);
	SocCpu *cpu = env->harts[0];
	uint32_t prog[] = {
		RVA_CSRR(RV_A0, CSR_MHARTID),
		RVA_CSRW(CSR_MHARTID, RV_A0),          /* read-only: illegal */
	};
	run_code(env, prog, 2, 2);
	expect_trap(cpu, 2, CODE + 4, prog[1]);

	/* FS stays off without F; MPP keeps a legal value; UXL/SXL fixed. */
	set_csr(cpu, CSR_MSTATUS, 0x6000 | (2u << 11) | (1ull << 32));
	g_assert_cmphex(csr(cpu, CSR_MSTATUS) & 0xf00007800ull, ==, 0xa00001800ull);
	set_csr(cpu, CSR_MSTATUS, 1u << 11);
	g_assert_cmphex(csr(cpu, CSR_MSTATUS) & 0x1800, ==, 0x0800);
	/* misa is read-only. */
	set_csr(cpu, CSR_MISA, 0);
	g_assert_cmphex(csr(cpu, CSR_MISA), ==, 0x8000000000141105ull);
	/* mtvec: reserved modes keep the old mode. */
	set_csr(cpu, CSR_MTVEC, HANDLER | 1);
	set_csr(cpu, CSR_MTVEC, HANDLER | 2);
	g_assert_cmphex(csr(cpu, CSR_MTVEC), ==, HANDLER | 1);
	/* satp: only Bare; Sv39 writes are ignored. */
	set_csr(cpu, CSR_SATP, (8ull << 60) | 0x1234);
	g_assert_cmphex(csr(cpu, CSR_SATP), ==, 0);
	set_csr(cpu, CSR_SATP, 0x55);
	g_assert_cmphex(csr(cpu, CSR_SATP), ==, 0x55);
	/* medeleg: ecall from M cannot be delegated. */
	set_csr(cpu, CSR_MEDELEG, ~0ull);
	g_assert_cmphex(csr(cpu, CSR_MEDELEG), ==, 0xb3ff);
	set_csr(cpu, CSR_MIDELEG, ~0ull);
	g_assert_cmphex(csr(cpu, CSR_MIDELEG), ==, 0x222);
	/* sstatus is a view of mstatus. */
	set_csr(cpu, CSR_SSTATUS, ~0ull);
	g_assert_cmphex(csr(cpu, CSR_MSTATUS) & 0x8, ==, 0);           /* MIE untouched */
	g_assert_cmphex(csr(cpu, CSR_SSTATUS) & 0xc0122, ==, 0xc0122);  /* SIE SPIE SPP SUM MXR */
	/* mepc low bit is zero. */
	set_csr(cpu, CSR_MEPC, 0x1235);
	g_assert_cmphex(csr(cpu, CSR_MEPC), ==, 0x1234);
	rvt_env_free(env);
}

/* ---- privilege changes ------------------------------------------------------------------------ */

/* mret to U with MPP = U; ecall from U delegated to S; sret back to U; ecall not delegated. */
static void test_delegation_and_xret(void)
{
	RvtEnv *env = setup(&rv64s);
	SocCpu *cpu = env->harts[0];
	uint32_t m[] = { RVA_MRET };
	uint32_t u[] = { RVA_ADDI(RV_A0, 0, 7), RVA_ECALL, RVA_ADDI(RV_A1, 0, 8), RVA_ECALL };
	uint32_t s[] = { RVA_CSRR(RV_T0, CSR_SEPC), RVA_ADDI(RV_T0, RV_T0, 4), RVA_CSRW(CSR_SEPC, RV_T0),
	                 RVA_SRET };

	rvt_put_words(env, UCODE, u, 4);
	rvt_put_words(env, SHANDLER, s, 4);
	set_csr(cpu, CSR_STVEC, SHANDLER);
	set_csr(cpu, CSR_MEDELEG, 1u << 8);
	set_csr(cpu, CSR_MEPC, UCODE);
	set_csr(cpu, CSR_MSTATUS, (0u << 11) | 0x80 /* MPIE */ | 0x2 /* SIE */);
	run_code(env, m, 1, 1);
	g_assert_cmpuint(soc_riscv_priv(cpu), ==, 0);
	g_assert_cmphex(pc(cpu), ==, UCODE);
	g_assert_cmphex(csr(cpu, CSR_MSTATUS) & 0x1888, ==, 0x88);   /* MIE = MPIE, MPIE = 1, MPP = U */
	rvt_run(cpu, 2);                                               /* addi, ecall, csrr t0,sepc */
	g_assert_cmpuint(soc_riscv_priv(cpu), ==, 1);
	g_assert_cmphex(pc(cpu), ==, SHANDLER + 4);
	g_assert_cmphex(reg(cpu, RV_T0), ==, UCODE + 4);
	g_assert_cmpuint(csr(cpu, CSR_SCAUSE), ==, 8);
	g_assert_cmphex(csr(cpu, CSR_SEPC), ==, UCODE + 4);
	g_assert_cmpuint(csr(cpu, CSR_STVAL), ==, 0);
	g_assert_cmphex(csr(cpu, CSR_MSTATUS) & 0x122, ==, 0x20);     /* SPP = U, SPIE = old SIE, SIE = 0 */
	g_assert_cmphex(csr(cpu, CSR_MCAUSE), ==, 0);                 /* M saw nothing */
	rvt_run(cpu, 4);                                               /* addi, csrw, sret, addi a1 */
	g_assert_cmpuint(soc_riscv_priv(cpu), ==, 0);
	g_assert_cmphex(pc(cpu), ==, UCODE + 12);
	g_assert_cmphex(csr(cpu, CSR_MSTATUS) & 0x122, ==, 0x22);     /* SIE = SPIE, SPIE = 1 */
	/* Stop delegating: the second ecall reaches M. */
	set_csr(cpu, CSR_MEDELEG, 0);
	rvt_run(cpu, 1);
	g_assert_cmpuint(soc_riscv_priv(cpu), ==, 3);
	expect_trap(cpu, 8, UCODE + 12, 0);
	g_assert_cmphex(csr(cpu, CSR_MSTATUS) & 0x1800, ==, 0);      /* MPP = U */
	g_assert_cmpuint(reg(cpu, RV_A1), ==, 8);

	/* mret from S is illegal; sret with TSR is illegal in S; ecall from S is cause 9. */
	{
		uint32_t s2[] = { RVA_ECALL, RVA_MRET, RVA_SRET };
		rvt_put_words(env, UCODE, s2, 3);
		set_csr(cpu, CSR_MEPC, UCODE);
		set_csr(cpu, CSR_MSTATUS, (1u << 11) | (1u << 22));
		soc_riscv_set_pc(cpu, CODE);
		rvt_run(cpu, 2);
		g_assert_cmpuint(soc_riscv_priv(cpu), ==, 3);
		expect_trap(cpu, 9, UCODE, 0);
		set_csr(cpu, CSR_MEPC, UCODE + 4);
		set_csr(cpu, CSR_MSTATUS, (1u << 11) | (1u << 22));
		soc_riscv_set_pc(cpu, CODE);
		rvt_run(cpu, 2);
		expect_trap(cpu, 2, UCODE + 4, RVA_MRET);
		set_csr(cpu, CSR_MEPC, UCODE + 8);
		set_csr(cpu, CSR_MSTATUS, (1u << 11) | (1u << 22));
		soc_riscv_set_pc(cpu, CODE);
		rvt_run(cpu, 2);
		expect_trap(cpu, 2, UCODE + 8, RVA_SRET);
	}
	rvt_env_free(env);
}

/* ---- interrupts -------------------------------------------------------------------------------- */

static SocIrq *drive(SocCpu *cpu, unsigned bit)
{
	g_autofree char *name = g_strdup_printf("irq%u", bit);
	SocIrq *in = cpu->cls->irq_input(cpu, name);
	SocIrq *out = soc_irq_new_output("/test:out");
	g_assert_nonnull(in);
	soc_irq_connect(out, in);
	return out;
}

static void test_interrupts(void)
{
	RvtEnv *env = setup(&rv64s);
	SocCpu *cpu = env->harts[0];
	uint32_t loop[] = { RVA_ADDI(RV_A0, RV_A0, 1), RVA_JAL(0, -4) };
	SocIrq *mtip = drive(cpu, 7), *meip = drive(cpu, 11), *seip = drive(cpu, 9);
	SocIrq *msip = drive(cpu, 3);

	g_assert_null(cpu->cls->irq_input(cpu, "irq2"));
	g_assert_null(cpu->cls->irq_input(cpu, "irq"));
	g_assert_null(cpu->cls->irq_input(cpu, "irq12"));
	g_assert_null(cpu->cls->irq_input(cpu, "foo7"));

	run_code(env, loop, 2, 100);
	g_assert_cmphex(pc(cpu), !=, HANDLER);
	/* Pending but not enabled: nothing. */
	soc_irq_raise(mtip);
	g_assert_cmphex(csr(cpu, CSR_MIP), ==, 0x80);
	rvt_run(cpu, 10);
	g_assert_cmphex(pc(cpu) & ~7ull, ==, CODE);
	/* Enabled in mie but MIE off in M-mode: still nothing. */
	set_csr(cpu, CSR_MIE, 0x80);
	rvt_run(cpu, 10);
	g_assert_cmphex(pc(cpu) & ~7ull, ==, CODE);
	/* MIE on: taken at once, vectored. */
	set_csr(cpu, CSR_MTVEC, RAM + 0x400 + 1);
	{
		uint32_t park = RVA_JAL(0, 0);
		rvt_put_words(env, RAM + 0x400 + 4 * 7, &park, 1);
		rvt_put_words(env, RAM + 0x400 + 4 * 11, &park, 1);
		rvt_put_words(env, RAM + 0x400 + 4 * 3, &park, 1);
	}
	set_csr(cpu, CSR_MSTATUS, 0x8);
	rvt_run(cpu, 1);
	g_assert_cmphex(pc(cpu), ==, RAM + 0x400 + 4 * 7);
	g_assert_cmphex(csr(cpu, CSR_MCAUSE), ==, 0x8000000000000007ull);
	g_assert_cmphex(csr(cpu, CSR_MSTATUS) & 0x88, ==, 0x80);   /* MIE off, MPIE on */
	/* Priority: MEI before MSI before MTI. */
	set_csr(cpu, CSR_MIE, 0x888);
	soc_irq_raise(msip);
	soc_irq_raise(meip);
	set_csr(cpu, CSR_MSTATUS, 0x8);
	rvt_run(cpu, 1);
	g_assert_cmphex(csr(cpu, CSR_MCAUSE), ==, 0x800000000000000bull);
	soc_irq_lower(meip);
	set_csr(cpu, CSR_MSTATUS, 0x8);
	rvt_run(cpu, 1);
	g_assert_cmphex(csr(cpu, CSR_MCAUSE), ==, 0x8000000000000003ull);
	soc_irq_lower(msip);
	soc_irq_lower(mtip);
	g_assert_cmphex(csr(cpu, CSR_MIP), ==, 0);

	/* SEIP: the line and the software bit are kept apart. */
	soc_irq_raise(seip);
	g_assert_cmphex(csr(cpu, CSR_MIP), ==, 0x200);
	set_csr(cpu, CSR_MIP, 0);                   /* cannot clear the line's level */
	g_assert_cmphex(csr(cpu, CSR_MIP), ==, 0x200);
	soc_irq_lower(seip);
	g_assert_cmphex(csr(cpu, CSR_MIP), ==, 0);
	set_csr(cpu, CSR_MIP, 0x200);               /* the software bit */
	soc_irq_raise(seip);
	soc_irq_lower(seip);
	g_assert_cmphex(csr(cpu, CSR_MIP), ==, 0x200);
	set_csr(cpu, CSR_MIP, 0);

	/* A delegated S interrupt is taken in S from U, and never from M. */
	{
		uint32_t u[] = { RVA_ADDI(RV_A2, RV_A2, 1), RVA_JAL(0, -4) };
		rvt_put_words(env, UCODE, u, 2);
		set_csr(cpu, CSR_STVEC, SHANDLER);
		set_csr(cpu, CSR_MIDELEG, 0x200);
		set_csr(cpu, CSR_MIE, 0x200);
		set_csr(cpu, CSR_MSTATUS, 0x8);
		soc_riscv_set_pc(cpu, CODE);
		rvt_put_words(env, CODE, loop, 2);
		soc_irq_raise(seip);
		rvt_run(cpu, 20);
		g_assert_cmphex(pc(cpu) & ~7ull, ==, CODE);   /* in M: masked */
		set_csr(cpu, CSR_MEPC, UCODE);
		set_csr(cpu, CSR_MSTATUS, 0);                 /* MPP = U */
		{
			uint32_t m[] = { RVA_MRET };
			soc_riscv_set_pc(cpu, CODE);
			run_code(env, m, 1, 2);
		}
		g_assert_cmphex(pc(cpu), ==, SHANDLER);
		g_assert_cmpuint(soc_riscv_priv(cpu), ==, 1);
		g_assert_cmphex(csr(cpu, CSR_SCAUSE), ==, 0x8000000000000009ull);
		g_assert_cmphex(csr(cpu, CSR_SEPC), ==, UCODE);
		g_assert_cmphex(csr(cpu, CSR_SIP), ==, 0x200);
		g_assert_cmphex(csr(cpu, CSR_SIE), ==, 0x200);
		soc_irq_lower(seip);
	}
	soc_irq_free(mtip);
	soc_irq_free(meip);
	soc_irq_free(seip);
	soc_irq_free(msip);
	rvt_env_free(env);
}

/* An irq raised while the hart runs (here from a device write) stops the block and is taken
 * right after the instruction that caused it. */
typedef struct {
	SocIrq *out;
	SocEventQueue *events;
	SocTime seen;
	SocCpu *cpu;
} TestDev;

static bool dev_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	TestDev *d = opaque;
	d->seen = soc_events_now(d->events);
	*value = offset == 0 ? d->cpu->insns : 0x5a;
	return offset < 0x100;
}

static bool dev_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	TestDev *d = opaque;
	d->seen = soc_events_now(d->events);
	if (offset == 4)
		soc_irq_set(d->out, (int)value);
	return offset < 0x100;
}

static const SocMmioOps dev_ops = { .read = dev_read, .write = dev_write, .sizes = 4 | 8 };

static void test_device_time_and_irq(void)
{
	RvtEnv *env = setup(&rv32m);
	SocCpu *cpu = env->harts[0];
	g_autoptr(GError) err = NULL;
	TestDev dev = { .events = env->events, .cpu = cpu };
	uint32_t prog[] = {
		RVA_LUI(RV_T0, MMIO >> 12),
		RVA_ADDI(RV_A0, 0, 0x80), RVA_CSRW(CSR_MIE, RV_A0), RVA_CSRRSI(0, CSR_MSTATUS, 8),
		RVA_NOP, RVA_NOP, RVA_NOP,
		RVA_LW(RV_A1, RV_T0, 0),          /* insns before it: 7 */
		RVA_ADDI(RV_A2, 0, 1),
		RVA_SW(RV_A2, RV_T0, 4),          /* raises MTIP */
		RVA_ADDI(RV_A3, 0, 1),            /* must not run before the interrupt */
		RVA_LW(RV_A4, RV_T0, 2),          /* misaligned on a device: traps as misaligned */
	};

	dev.out = soc_irq_new_output("/dev:irq");
	soc_irq_connect(dev.out, cpu->cls->irq_input(cpu, "irq7"));
	g_assert_true(soc_as_map_mmio(env->as, MMIO, 0x100, &dev_ops, &dev, 0, "/dev", &err));
	run_code(env, prog, G_N_ELEMENTS(prog), 10);
	g_assert_cmpuint(reg(cpu, RV_A1), ==, 7);
	/* 100 MHz: instruction 9 (the store) happens at 90 ns. */
	g_assert_cmpuint(dev.seen, ==, 9 * 10 * SOC_PS_PER_NS);
	g_assert_cmphex(pc(cpu), ==, HANDLER);
	g_assert_cmphex(csr(cpu, CSR_MEPC), ==, CODE + 40);
	g_assert_cmpuint(reg(cpu, RV_A3), ==, 0);
	/* A device access the device does not accept is an access fault; misaligned ones trap as
	 * misaligned (socemu only splits misaligned accesses to RAM). */
	soc_irq_lower(dev.out);
	set_csr(cpu, CSR_MSTATUS, 0);
	soc_riscv_set_pc(cpu, CODE + 44);
	rvt_run(cpu, 1);
	expect_trap(cpu, 4, CODE + 44, MMIO + 2);
	{
		uint32_t p2[] = { RVA_LB(RV_A4, RV_T0, 3) };   /* size 1 not accepted */
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		soc_log_set_stream(env->log, f);
		soc_riscv_set_pc(cpu, CODE);
		run_code(env, p2, 1, 1);
		expect_trap(cpu, 5, CODE, MMIO + 3);
		fflush(f);
		g_assert_nonnull(strstr(text, "/dev: 1-byte read at offset 0x3 not accepted"));
		soc_log_set_stream(env->log, stderr);
		fclose(f);
		free(text);
	}
	soc_irq_free(dev.out);
	rvt_env_free(env);
}

/* ---- WFI ------------------------------------------------------------------------------------- */

static void test_wfi(void)
{
	RvtEnv *env = setup(&rv64s);
	SocCpu *cpu = env->harts[0];
	SocIrq *mtip = drive(cpu, 7);
	uint32_t prog[] = { RVA_NOP, RVA_WFI, RVA_ADDI(RV_A0, 0, 1), RVA_JAL(0, 0) };

	run_code(env, prog, 4, 100);
	g_assert_cmpint(cpu->state, ==, SOC_CPU_SLEEPING);
	g_assert_cmpuint(cpu->insns, ==, 2);
	g_assert_cmphex(pc(cpu), ==, CODE + 8);
	/* Sleeping: run() does nothing. */
	cpu->stop_at = cpu->insns + 100;
	cpu->cls->run(cpu);
	g_assert_cmpuint(cpu->insns, ==, 2);
	/* Pending but not in mie: still asleep. */
	soc_irq_raise(mtip);
	g_assert_cmpint(cpu->state, ==, SOC_CPU_SLEEPING);
	soc_irq_lower(mtip);
	/* Enabled in mie, MIE off: wakes without a trap. */
	set_csr(cpu, CSR_MIE, 0x80);
	soc_irq_raise(mtip);
	g_assert_cmpint(cpu->state, ==, SOC_CPU_RUNNING);
	g_assert_cmpuint(cpu->stop_at, ==, cpu->insns);   /* kicked */
	rvt_run(cpu, 2);
	g_assert_cmpuint(reg(cpu, RV_A0), ==, 1);
	g_assert_cmphex(pc(cpu), ==, CODE + 12);
	/* WFI with an interrupt already pending does not sleep. */
	soc_riscv_set_pc(cpu, CODE);
	rvt_run(cpu, 3);
	g_assert_cmpint(cpu->state, ==, SOC_CPU_RUNNING);
	soc_irq_lower(mtip);

	/* In U with S-mode present: illegal. In S with TW: illegal. */
	{
		uint32_t u[] = { RVA_WFI };
		uint32_t m[] = { RVA_MRET };
		rvt_put_words(env, UCODE, u, 1);
		set_csr(cpu, CSR_MEPC, UCODE);
		set_csr(cpu, CSR_MSTATUS, 0);
		soc_riscv_set_pc(cpu, CODE);
		run_code(env, m, 1, 2);
		expect_trap(cpu, 2, UCODE, RVA_WFI);
		set_csr(cpu, CSR_MEPC, UCODE);
		set_csr(cpu, CSR_MSTATUS, (1u << 11) | (1u << 21));
		soc_riscv_set_pc(cpu, CODE);
		rvt_run(cpu, 2);
		expect_trap(cpu, 2, UCODE, RVA_WFI);
		/* In S without TW it sleeps. */
		set_csr(cpu, CSR_MEPC, UCODE);
		set_csr(cpu, CSR_MSTATUS, 1u << 11);
		set_csr(cpu, CSR_MIE, 0);
		soc_riscv_set_pc(cpu, CODE);
		rvt_run(cpu, 2);
		g_assert_cmpint(cpu->state, ==, SOC_CPU_SLEEPING);
	}
	soc_irq_free(mtip);
	rvt_env_free(env);

	/* M+U without S: WFI in U is allowed when TW = 0. */
	env = setup(&rv32mu);
	cpu = env->harts[0];
	{
		uint32_t u[] = { RVA_WFI };
		uint32_t m[] = { RVA_MRET };
		rvt_put_words(env, UCODE, u, 1);
		set_csr(cpu, CSR_MEPC, UCODE);
		set_csr(cpu, CSR_MSTATUS, 0);
		run_code(env, m, 1, 2);
		g_assert_cmpint(cpu->state, ==, SOC_CPU_SLEEPING);
	}
	rvt_env_free(env);
}

/* ---- counters -------------------------------------------------------------------------------- */

static void test_counters(void)
{
	RvtEnv *env = setup(&rv64s);
	SocCpu *cpu = env->harts[0];
	uint32_t prog[] = {
		RVA_NOP, RVA_NOP, RVA_NOP,
		RVA_CSRR(RV_A0, CSR_MINSTRET),        /* 3 before it */
		RVA_CSRR(RV_A1, CSR_INSTRET),         /* 4 */
		RVA_CSRR(RV_A2, CSR_MCYCLE),          /* 5 */
		RVA_ADDI(RV_T0, 0, 100),
		RVA_CSRW(CSR_MINSTRET, RV_T0),
		RVA_CSRR(RV_A3, CSR_MINSTRET),        /* reads what was written */
		RVA_CSRRSI(0, CSR_MCOUNTINHIBIT, 4),  /* stop minstret */
		RVA_NOP, RVA_NOP,
		RVA_CSRR(RV_A4, CSR_MINSTRET),
		RVA_CSRR(RV_A5, CSR_TIME),            /* 13 instructions at 100 MHz, timebase 10 MHz */
		RVA_CSRR(RV_A6, 0xc03),               /* hpmcounter3 */
		RVA_CSRR(RV_A7, 0xb1f),               /* mhpmcounter31 */
	};
	run_code(env, prog, G_N_ELEMENTS(prog), G_N_ELEMENTS(prog));
	g_assert_cmpuint(reg(cpu, RV_A0), ==, 3);
	g_assert_cmpuint(reg(cpu, RV_A1), ==, 4);
	g_assert_cmpuint(reg(cpu, RV_A2), ==, 5);
	g_assert_cmpuint(reg(cpu, RV_A3), ==, 100);
	g_assert_cmpuint(reg(cpu, RV_A4), ==, 101);   /* the csrs counted, then frozen */
	g_assert_cmpuint(reg(cpu, RV_A5), ==, 1);
	g_assert_cmpuint(reg(cpu, RV_A6), ==, 0);
	g_assert_cmpuint(reg(cpu, RV_A7), ==, 0);
	g_assert_cmpuint(csr(cpu, 0x323), ==, 0);     /* mhpmevent3 */
	/* mcycle includes cycles asleep. */
	cpu->sleep_cycles += 1000;
	g_assert_cmpuint(csr(cpu, CSR_MCYCLE), ==, cpu->insns + 1000);
	rvt_env_free(env);

	/* From U: gated by mcounteren and scounteren. */
	env = setup(&rv64s);
	cpu = env->harts[0];
	{
		uint32_t u[] = { RVA_CSRR(RV_A0, CSR_CYCLE), RVA_ECALL };
		uint32_t m[] = { RVA_MRET };
		rvt_put_words(env, UCODE, u, 2);
		rvt_put_words(env, CODE, m, 1);
		for (unsigned k = 0; k < 4; k++) {
			set_csr(cpu, CSR_MCOUNTEREN, k & 1);
			set_csr(cpu, CSR_SCOUNTEREN, (k >> 1) & 1);
			set_csr(cpu, CSR_MEPC, UCODE);
			set_csr(cpu, CSR_MSTATUS, 0);
			soc_riscv_set_pc(cpu, CODE);
			rvt_run(cpu, 2);
			if (k == 3) {
				g_assert_cmphex(pc(cpu), ==, UCODE + 4);
				rvt_run(cpu, 1);   /* ecall back to M */
				expect_trap(cpu, 8, UCODE + 4, 0);
			} else
				expect_trap(cpu, 2, UCODE, u[0]);
		}
		/* From S only mcounteren matters. */
		set_csr(cpu, CSR_MCOUNTEREN, 1);
		set_csr(cpu, CSR_SCOUNTEREN, 0);
		set_csr(cpu, CSR_MEPC, UCODE);
		set_csr(cpu, CSR_MSTATUS, 1u << 11);
		soc_riscv_set_pc(cpu, CODE);
		rvt_run(cpu, 2);
		g_assert_cmphex(pc(cpu), ==, UCODE + 4);
	}
	rvt_env_free(env);

	/* RV32: the high halves. */
	env = setup(&rv32m);
	cpu = env->harts[0];
	set_csr(cpu, CSR_MCYCLE, 0xfffffffe);
	set_csr(cpu, 0xb80, 0x12);
	g_assert_cmphex(csr(cpu, CSR_MCYCLE), ==, 0xfffffffe);
	g_assert_cmphex(csr(cpu, 0xb80), ==, 0x12);
	g_assert_cmphex(csr(cpu, 0xc80), ==, 0x12);
	cpu->insns += 3;
	g_assert_cmphex(csr(cpu, CSR_MCYCLE), ==, 1);
	g_assert_cmphex(csr(cpu, 0xc80), ==, 0x13);
	rvt_env_free(env);
}

/* ---- PMP --------------------------------------------------------------------------------------- */

static void enter_u(RvtEnv *env, const uint32_t *u, unsigned n)
{
	SocCpu *cpu = env->harts[0];
	uint32_t m[] = { RVA_MRET };
	rvt_put_words(env, UCODE, u, n);
	rvt_put_words(env, CODE, m, 1);
	set_csr(cpu, CSR_MEPC, UCODE);
	set_csr(cpu, CSR_MSTATUS, 0);
	soc_riscv_set_pc(cpu, CODE);
}

static uint64_t napot(uint64_t base, uint64_t size)
{
	return (base >> 2) | ((size >> 3) - 1);
}

static void test_pmp(void)
{
	RvtEnv *env = setup(&rv32mu);
	SocCpu *cpu = env->harts[0];
	uint32_t u[] = { RVA_LUI(RV_T0, DATA >> 12), RVA_LW(RV_A0, RV_T0, 0), RVA_SW(RV_A0, RV_T0, 0),
	                 RVA_ECALL };

	/* No PMP entry: U can do nothing, not even fetch. */
	set_csr(cpu, CSR_PMPCFG0, 0);
	enter_u(env, u, 4);
	rvt_run(cpu, 2);
	expect_trap(cpu, 1, UCODE, UCODE);
	/* Code executable (entry 0, NAPOT 4 KiB), data read-only (entry 1, TOR). */
	set_csr(cpu, CSR_PMPADDR0, napot(UCODE, 0x1000));
	set_csr(cpu, CSR_PMPADDR0 + 1, DATA >> 2);
	set_csr(cpu, CSR_PMPADDR0 + 2, (DATA + 0x1000) >> 2);
	set_csr(cpu, CSR_PMPCFG0, (0x1cu | 0x4u) | ((0x08u | 0x1u) << 16));   /* X NAPOT; R TOR (entry 2) */
	g_assert_cmphex(csr(cpu, CSR_PMPCFG0), ==, 0x00090000 | 0x1c);
	enter_u(env, u, 4);
	rvt_run(cpu, 4);
	expect_trap(cpu, 7, UCODE + 8, DATA);      /* the load worked, the store did not */
	/* Entry with W but no R reads back without W (reserved combination). */
	set_csr(cpu, CSR_PMPCFG0 + 1, 0x0a);
	g_assert_cmphex(csr(cpu, CSR_PMPCFG0 + 1), ==, 0x08);
	/* M is not checked against unlocked entries... */
	{
		uint32_t m[] = { RVA_LUI(RV_T0, DATA >> 12), RVA_SW(RV_A0, RV_T0, 0), RVA_ECALL };
		set_csr(cpu, CSR_PMPCFG0 + 1, 0);
		soc_riscv_set_pc(cpu, CODE);
		run_code(env, m, 3, 3);
		expect_trap(cpu, 11, CODE + 8, 0);
		/* ...but is against locked ones, and locked entries ignore writes. */
		set_csr(cpu, CSR_PMPCFG0, (0x1cu | 0x4u) | ((0x80u | 0x08u | 0x1u) << 16));
		set_csr(cpu, CSR_PMPCFG0, 0);
		g_assert_cmphex(csr(cpu, CSR_PMPCFG0), ==, 0x00890000);
		set_csr(cpu, CSR_PMPADDR0 + 2, 0);
		g_assert_cmphex(csr(cpu, CSR_PMPADDR0 + 2), ==, (DATA + 0x1000) >> 2);
		set_csr(cpu, CSR_PMPADDR0 + 1, 0);   /* TOR base of a locked entry: locked too */
		g_assert_cmphex(csr(cpu, CSR_PMPADDR0 + 1), ==, DATA >> 2);
		soc_riscv_set_pc(cpu, CODE);
		rvt_run(cpu, 2);
		expect_trap(cpu, 7, CODE + 4, DATA);
		/* An access that only partly matches an entry fails, even in M. */
		{
			uint32_t m2[] = { RVA_LUI(RV_T0, (DATA + 0x1000) >> 12), RVA_LW(RV_A0, RV_T0, -2) };
			soc_riscv_set_pc(cpu, CODE);
			run_code(env, m2, 2, 2);
			expect_trap(cpu, 5, CODE + 4, DATA + 0x1000 - 2);
		}
	}
	rvt_env_free(env);
}

/* ---- self-modifying code ------------------------------------------------------------------ */

static void test_self_modifying_code(void)
{
	RvtEnv *env = setup(&rv64s);
	SocCpu *cpu = env->harts[0];
	uint32_t new_insn = RVA_ADDI(RV_A0, RV_A0, 100);
	/* A loop that runs `addi a0,a0,1` once, overwrites it with `addi a0,a0,100`, fence.i,
	 * and runs it again. */
	uint32_t prog[] = {
		RVA_ADDI(RV_A1, 0, 2),                /* 0: iterations */
		RVA_AUIPC(RV_T0, 0),                  /* 4: t0 = 4 */
		RVA_ADDI(RV_A0, RV_A0, 1),            /* 8: patched */
		RVA_SW(RV_T2, RV_T0, 4),              /* 12: store the new instruction over 8 */
		RVA_FENCE_I,                          /* 16 */
		RVA_ADDI(RV_A1, RV_A1, -1),           /* 20 */
		RVA_BNE(RV_A1, 0, -16),               /* 24: back to 8 */
		RVA_ECALL,                            /* 28 */
	};
	soc_riscv_set_xreg(cpu, RV_T2, new_insn);
	run_code(env, prog, G_N_ELEMENTS(prog), 100);
	expect_trap(cpu, 11, CODE + 28, 0);
	g_assert_cmpuint(reg(cpu, RV_A0), ==, 101);
	rvt_env_free(env);

	/* socemu also sees a store to a later instruction of the running block without fence.i
	 * (stronger than the spec asks), and a write by the debugger or a device. */
	env = setup(&rv32m);
	cpu = env->harts[0];
	{
		uint32_t p2[] = {
			RVA_AUIPC(RV_T0, 0),
			RVA_SW(RV_T2, RV_T0, 12),
			RVA_NOP,
			RVA_ADDI(RV_A0, 0, 1),            /* replaced by the store above */
			RVA_ECALL,
		};
		soc_riscv_set_xreg(cpu, RV_T2, RVA_ADDI(RV_A0, 0, 55));
		/* Run it once from a fresh copy, so the block is decoded first. */
		run_code(env, p2, G_N_ELEMENTS(p2), 100);
		expect_trap(cpu, 11, CODE + 16, 0);
		g_assert_cmpuint(reg(cpu, RV_A0), ==, 55);
		/* A write from outside the hart (loader, debugger, DMA) replaces decoded code too. */
		{
			uint32_t w = RVA_ADDI(RV_A0, 0, 66);
			soc_riscv_set_xreg(cpu, RV_T2, RVA_ADDI(RV_A0, 0, 66));
			soc_riscv_set_pc(cpu, CODE + 12);
			rvt_run(cpu, 2);
			g_assert_cmpuint(reg(cpu, RV_A0), ==, 55);
			g_assert_true(soc_as_write_bytes(env->as, CODE + 12, &w, 4, NULL));
			soc_riscv_set_pc(cpu, CODE + 12);
			rvt_run(cpu, 2);
			g_assert_cmpuint(reg(cpu, RV_A0), ==, 66);
		}
	}
	rvt_env_free(env);
}

/* A block built once stays valid: a long loop runs entirely from cache, and a data store in
 * the same page as code does not disturb it. */
static void test_data_beside_code(void)
{
	RvtEnv *env = setup(&rv64s);
	SocCpu *cpu = env->harts[0];
	uint32_t prog[] = {
		RVA_LUI(RV_A1, 1),                   /* 4096 iterations */
		RVA_AUIPC(RV_T0, 0),
		RVA_SD(RV_A1, RV_T0, 64),            /* data 64 bytes after the code */
		RVA_LD(RV_A2, RV_T0, 64),
		RVA_ADD(RV_A0, RV_A0, RV_A2),
		RVA_ADDI(RV_A1, RV_A1, -1),
		RVA_BNE(RV_A1, 0, -16),
		RVA_ECALL,
	};
	run_code(env, prog, G_N_ELEMENTS(prog), 100000);
	expect_trap(cpu, 11, CODE + 28, 0);
	g_assert_cmpuint(reg(cpu, RV_A0), ==, 4096ull * 4097 / 2);
	rvt_env_free(env);
}

/* ---- LR/SC across harts --------------------------------------------------------------------- */

static void test_lrsc_harts(void)
{
	RvtHartSpec specs[2] = { rv64s, rv64s };
	RvtEnv *env = rvt_env_new(RAM, RAM_SIZE);
	SocCpu *a, *b;
	uint32_t code_a[] = {
		RVA_LUI(RV_T0, DATA >> 12),
		RVA_LR_W(RV_A0, RV_T0),              /* a0 = old */
		RVA_ADDI(RV_A0, RV_A0, 1),
		RVA_SC_W(RV_A1, RV_A0, RV_T0),       /* a1 = 0 on success */
		RVA_JAL(0, 0),
	};
	uint32_t code_b[] = {
		RVA_LUI(RV_T0, DATA >> 12),
		RVA_ADDI(RV_A2, 0, 42),
		RVA_SW(RV_A2, RV_T0, 0),             /* first store: gives b a fast write entry */
		RVA_SW(RV_A2, RV_T0, 0),             /* second store: after a's LR */
		RVA_JAL(0, 0),
	};
	uint32_t zero = 0;

	specs[0].reset_vector = CODE;
	specs[1].hartid = 1;
	specs[1].reset_vector = CODE + 0x100;
	rvt_env_set_harts(env, specs, 2);
	a = env->harts[0];
	b = env->harts[1];
	rvt_put_words(env, CODE, code_a, G_N_ELEMENTS(code_a));
	rvt_put_words(env, CODE + 0x100, code_b, G_N_ELEMENTS(code_b));

	/* Undisturbed: SC succeeds. */
	g_assert_cmpuint(rvt_run(a, 4), ==, 4);
	g_assert_cmpuint(reg(a, RV_A1), ==, 0);
	g_assert_cmpuint(rvt_get_word(env, DATA), ==, 1);

	/* b stores to the word between a's LR and SC: SC fails, memory keeps b's value. */
	soc_riscv_set_pc(a, CODE);
	g_assert_cmpuint(rvt_run(b, 3), ==, 3);
	g_assert_cmpuint(rvt_run(a, 2), ==, 2);
	g_assert_cmpuint(rvt_run(b, 1), ==, 1);
	g_assert_cmpuint(rvt_run(a, 2), ==, 2);
	g_assert_cmpuint(reg(a, RV_A1), ==, 1);
	g_assert_cmpuint(rvt_get_word(env, DATA), ==, 42);

	/* A store to a different word of another page does not break it... */
	soc_riscv_set_pc(a, CODE);
	rvt_run(a, 2);
	{
		uint32_t other = 7;
		g_assert_true(soc_as_write_bytes(env->as, DATA + 0x2000, &other, 4, NULL));
	}
	rvt_run(a, 2);
	g_assert_cmpuint(reg(a, RV_A1), ==, 0);
	/* ...a device or debugger write to the word does. */
	soc_riscv_set_pc(a, CODE);
	rvt_run(a, 2);
	g_assert_true(soc_as_write_bytes(env->as, DATA, &zero, 4, NULL));
	rvt_run(a, 2);
	g_assert_cmpuint(reg(a, RV_A1), ==, 1);
	g_assert_cmpuint(rvt_get_word(env, DATA), ==, 0);
	/* An SC without a reservation fails. */
	soc_riscv_set_pc(a, CODE + 12);
	rvt_run(a, 1);
	g_assert_cmpuint(reg(a, RV_A1), ==, 1);
	rvt_env_free(env);
}

/* RV64 32-bit AMOs: operands are the low 32 bits, results sign-extended (lockstep cannot check
 * min/max here: its reference gets them wrong). */
static void test_amo_word_rv64(void)
{
	static const struct { uint32_t f5; uint32_t mem; uint64_t rs2; uint32_t expect_mem; } cases[] = {
		{ 0x10, 0xb6d28e9f, 0x8ec94, 0xb6d28e9f },                     /* amomin.w */
		{ 0x14, 0xd28fd217, 0x861fd, 0x861fd },                        /* amomax.w */
		{ 0x18, 0x80000000, 0xffffffff00000001ull, 0x1 },              /* amominu.w: low bits */
		{ 0x1c, 0x7fffffff, 0x00000001ffffffffull, 0xffffffff },       /* amomaxu.w */
		{ 0x10, 0x00000005, 0x00000000fffffffbull, 0xfffffffb },       /* -5 < 5 */
		{ 0x00, 0xffffffff, 0x1000000001ull, 0 },                      /* amoadd.w wraps */
	};
	for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
		RvtEnv *env = setup(&rv64s);
		SocCpu *cpu = env->harts[0];
		uint32_t prog[] = { RVA_LUI(RV_T0, DATA >> 12), rva_r(cases[i].f5 << 2, RV_A1, RV_T0, 2, RV_A0, 0x2f) };
		g_assert_true(soc_as_write_bytes(env->as, DATA, &cases[i].mem, 4, NULL));
		soc_riscv_set_xreg(cpu, RV_A1, cases[i].rs2);
		run_code(env, prog, 2, 2);
		g_assert_cmphex(rvt_get_word(env, DATA), ==, cases[i].expect_mem);
		g_assert_cmphex(reg(cpu, RV_A0), ==, (uint64_t)(int64_t)(int32_t)cases[i].mem);
		rvt_env_free(env);
	}
}

/* ---- semihosting hook ---------------------------------------------------------------------- */

static bool semihost(void *opaque, SocCpu *cpu)
{
	unsigned *calls = opaque;
	(*calls)++;
	soc_riscv_set_xreg(cpu, RV_A0, soc_riscv_get_xreg(cpu, RV_A0) + soc_riscv_get_xreg(cpu, RV_A1));
	return true;
}

static void test_semihosting_hook(void)
{
	RvtEnv *env = setup(&rv32m);
	SocCpu *cpu = env->harts[0];
	unsigned calls = 0;
	uint32_t prog[] = {
		RVA_ADDI(RV_A0, 0, 3), RVA_ADDI(RV_A1, 0, 4),
		0x01f01013, RVA_EBREAK, 0x40705013,   /* slli x0,x0,0x1f; ebreak; srai x0,x0,7 */
		RVA_EBREAK,                           /* a plain ebreak */
	};
	/* Without a hook: a breakpoint. */
	run_code(env, prog, G_N_ELEMENTS(prog), 4);
	expect_trap(cpu, 3, CODE + 12, CODE + 12);
	soc_riscv_set_semihost_hook(cpu, semihost, &calls);
	soc_riscv_set_pc(cpu, CODE);
	rvt_run(cpu, 6);
	g_assert_cmpuint(calls, ==, 1);
	g_assert_cmpuint(reg(cpu, RV_A0), ==, 7);
	expect_trap(cpu, 3, CODE + 20, CODE + 20);
	g_assert_cmpuint(cpu->insns, ==, 4 + 6);   /* the ebreak retired */
	rvt_env_free(env);
}

/* ---- lock-up, budget, tracing, disassembly ---------------------------------------------------- */

static void test_trap_loop_locks_up(void)
{
	RvtEnv *env = setup(&rv32m);
	SocCpu *cpu = env->harts[0];
	uint32_t prog[] = { 0x0000000b };
	set_csr(cpu, CSR_MTVEC, NOWHERE);
	run_code(env, prog, 1, 10);
	g_assert_cmpint(cpu->state, ==, SOC_CPU_LOCKED_UP);
	g_assert_nonnull(cpu->stop_reason);
	g_assert_nonnull(strstr(cpu->stop_reason, "/cpus/cpu@0"));
	g_assert_nonnull(strstr(cpu->stop_reason, "instruction access fault"));
	rvt_env_free(env);
}

static void test_exact_budget(void)
{
	RvtEnv *env = setup(&rv64s);
	SocCpu *cpu = env->harts[0];
	uint32_t prog[64];
	for (unsigned i = 0; i < 63; i++)
		prog[i] = RVA_ADDI(RV_A0, RV_A0, 1);
	prog[63] = RVA_JAL(0, -63 * 4);
	rvt_put_words(env, CODE, prog, 64);
	for (unsigned k = 1; k < 300; k += 7) {
		uint64_t before = cpu->insns;
		cpu->stop_at = cpu->insns + k;
		cpu->cls->run(cpu);
		g_assert_cmpuint(cpu->insns - before, ==, k);
	}
	/* Kicked from outside: run() returns at once. */
	cpu->stop_at = cpu->insns;
	{
		uint64_t before = cpu->insns;
		cpu->cls->run(cpu);
		g_assert_cmpuint(cpu->insns, ==, before);
	}
	rvt_env_free(env);
}

static void test_exec_trace(void)
{
	RvtEnv *env = setup(&rv32m);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	uint32_t prog[] = { RVA_ADDI(RV_A0, 0, 5), 0x4505 | (0x8082u << 16) };
	g_autoptr(GError) err = NULL;

	g_assert_true(soc_log_set_categories(env->log, "exec", &err));
	soc_log_set_stream(env->log, f);
	run_code(env, prog, 2, 2);
	fflush(f);
	g_assert_nonnull(strstr(text, "exec: /cpus/cpu@0 0x10000000: 00500513  li\ta0,5\n"));
	g_assert_nonnull(strstr(text, "exec: /cpus/cpu@0 0x10000004: 4505  li\ta0,1\n"));
	g_assert_null(strstr(text, "ret"));
	g_assert_true(soc_log_set_categories(env->log, "none", &err));
	fclose(f);
	free(text);
	rvt_env_free(env);
}

static void test_disassemble_class(void)
{
	RvtEnv *env = setup(&rv64s);
	SocCpu *cpu = env->harts[0];
	uint32_t prog[] = { 0x00a50533, 0x80824505 };
	char buf[64];
	rvt_put_words(env, CODE, prog, 2);
	g_assert_cmpuint(cpu->cls->disassemble(cpu, CODE, buf, sizeof(buf)), ==, 4);
	g_assert_cmpstr(buf, ==, "add\ta0,a0,a0");
	g_assert_cmpuint(cpu->cls->disassemble(cpu, CODE + 4, buf, sizeof(buf)), ==, 2);
	g_assert_cmpstr(buf, ==, "li\ta0,1");
	g_assert_cmpuint(cpu->cls->disassemble(cpu, CODE + 6, buf, sizeof(buf)), ==, 2);
	g_assert_cmpstr(buf, ==, "ret");
	g_assert_cmpuint(cpu->cls->disassemble(cpu, NOWHERE, buf, sizeof(buf)), ==, 0);
	/* A 32-bit instruction whose second half is not readable. */
	{
		uint16_t h = 0x0533;
		g_assert_true(soc_as_write_bytes(env->as, RAM + RAM_SIZE - 2, &h, 2, NULL));
		g_assert_cmpuint(cpu->cls->disassemble(cpu, RAM + RAM_SIZE - 2, buf, sizeof(buf)), ==, 0);
	}
	g_assert_true(soc_cpu_classes()[0] == &soc_riscv_cpu_class);
	rvt_env_free(env);
}

/* An instruction straddling two pages, both as the first and as a later instruction of a
 * block, and a write to its second half. */
static void test_page_straddle(void)
{
	RvtEnv *env = setup(&rv64s);
	SocCpu *cpu = env->harts[0];
	uint64_t at = RAM + 0x2000 - 6;
	uint8_t bytes[10];
	uint16_t cnop = 0x0001, ecall_lo = 0x0073, ecall_hi = 0;
	uint32_t addi = RVA_ADDI(RV_A0, RV_A0, 9), addi2 = RVA_ADDI(RV_A0, RV_A0, 20);

	memcpy(bytes, &cnop, 2);
	memcpy(bytes + 2, &cnop, 2);
	memcpy(bytes + 4, &addi, 4);        /* at 0x1ffe: straddles */
	memcpy(bytes + 8, &ecall_lo, 2);
	g_assert_true(soc_as_write_bytes(env->as, at, bytes, 10, NULL));
	g_assert_true(soc_as_write_bytes(env->as, at + 10, &ecall_hi, 2, NULL));
	soc_riscv_set_pc(cpu, at);
	rvt_run(cpu, 4);
	expect_trap(cpu, 11, RAM + 0x2002, 0);
	g_assert_cmpuint(reg(cpu, RV_A0), ==, 9);
	/* Change the second half of the straddling instruction. */
	g_assert_true(soc_as_write_bytes(env->as, RAM + 0x2000, (uint8_t *)&addi2 + 2, 2, NULL));
	soc_riscv_set_pc(cpu, RAM + 0x1ffe);
	rvt_run(cpu, 2);
	g_assert_cmpuint(reg(cpu, RV_A0), ==, 29);
	rvt_env_free(env);
}

/* ---- compiled blocks (cpus/riscv/jit.c) against the interpreter ---------------------------- */

/* A hot loop with loads, stores, a multiply, a call and return, a side exit, stores to the code
 * page (so that its TLB entry takes the notifying path) and one that rewrites a later
 * instruction of the block it runs in (at the 200th round): run in slices of
 * 37 instructions interpreted and compiled (the default threshold), the state must agree after
 * every slice, and the compiled run must really have compiled blocks. */
static void test_compiled_matches_interpreter(void)
{
	uint32_t prog[] = {
		RVA_LUI(RV_T0, DATA >> 12),           /* 0 */
		RVA_ADDI(RV_A1, 0, 300),              /* 4: rounds */
		RVA_ADDI(RV_A0, 0, 0),                /* 8 */
		RVA_AUIPC(RV_T1, 0),                  /* 12: t1 = CODE + 12 */
		RVA_LW(RV_A2, RV_T0, 0),              /* 16: loop */
		RVA_ADD(RV_A2, RV_A2, RV_A1),         /* 20 */
		RVA_MUL(RV_A3, RV_A2, RV_A1),         /* 24 */
		RVA_SW(RV_A3, RV_T0, 4),              /* 28 */
		RVA_SD(RV_A2, RV_T0, 8),              /* 32 */
		RVA_BNE(RV_A1, RV_T2, 8),             /* 36: skip the patch but in round a1 = 100 */
		RVA_SW(RV_T3, RV_T1, 36),             /* 40: rewrite the insn at 48 */
		RVA_SW(0, RV_T1, 60),                 /* 44: a store to the code page (at 72) */
		RVA_ADDI(RV_A0, RV_A0, 1),            /* 48: becomes addi a0,a0,7 */
		RVA_JAL(RV_RA, 80 - 52),              /* 52 */
		RVA_ADDI(RV_A1, RV_A1, -1),           /* 56 */
		RVA_BNE(RV_A1, 0, 16 - 60),           /* 60 */
		RVA_ECALL,                            /* 64 */
		RVA_NOP, RVA_NOP, RVA_NOP,            /* 68 */
		RVA_SUB(RV_A4, RV_A2, RV_A3),         /* 80: sub */
		RVA_ADDIW(RV_A5, RV_A4, -5),          /* 84 */
		RVA_SLLI(RV_A5, RV_A5, 3),            /* 88 */
		RVA_JALR(0, RV_RA, 0),                /* 92 */
	};
	/* Interpreted; compiled; compiled into a code space that holds only a few blocks, so
	 * that it fills up and is flushed (with everything decoded) again and again. */
	RvtEnv *env[3];
	SocCpu *cpu[3];
	static const char *const modes[3] = { "off", "on", "on" };

	for (unsigned m = 0; m < 3; m++) {
		g_setenv("SOCEMU_JIT", modes[m], TRUE);
		env[m] = setup(&rv64s);
		g_unsetenv("SOCEMU_JIT");
		cpu[m] = env[m]->harts[0];
		if (m == 2)
			rv_jit_set_capacity((RvCpu *)cpu[m], 1200);
		rvt_put_words(env[m], CODE, prog, G_N_ELEMENTS(prog));
		soc_riscv_set_xreg(cpu[m], RV_T2, 100);
		soc_riscv_set_xreg(cpu[m], RV_T3, RVA_ADDI(RV_A0, RV_A0, 7));
	}
	for (unsigned slice = 0; slice < 1000 && pc(cpu[0]) != HANDLER; slice++) {
		for (unsigned m = 0; m < 3; m++)
			rvt_run(cpu[m], 37);
		for (unsigned m = 1; m < 3; m++) {
			g_assert_cmpuint(cpu[0]->insns, ==, cpu[m]->insns);
			g_assert_cmphex(pc(cpu[0]), ==, pc(cpu[m]));
			for (unsigned r = 1; r < 32; r++)
				g_assert_cmphex(reg(cpu[0], r), ==, reg(cpu[m], r));
		}
	}
	expect_trap(cpu[1], 11, CODE + 64, 0);
	g_assert_cmpuint(reg(cpu[1], RV_A0), ==, 200 + 100 * 7);
	g_assert_cmpuint(soc_riscv_jit_blocks(cpu[0]), ==, 0);
#if defined(__x86_64__) && defined(__linux__)
	g_assert_cmpuint(soc_riscv_jit_blocks(cpu[1]), >, 0);
	/* The small code space compiled the loop's blocks over and over. */
	g_assert_cmpuint(soc_riscv_jit_blocks(cpu[2]), >, 4 * soc_riscv_jit_blocks(cpu[1]));
#endif
	for (unsigned m = 0; m < 3; m++)
		rvt_env_free(env[m]);
}

static const struct {
	const char *name;
	void (*fn)(void);
} hart_tests[] = {
	{ "isa-accepted", test_isa_accepted },
	{ "isa-rejected", test_isa_rejected },
	{ "reset-state", test_reset_state },
	{ "illegal-instruction", test_illegal_instruction },
	{ "breakpoint-ecall", test_breakpoint_and_ecall },
	{ "access-faults", test_access_faults },
	{ "store-to-rom", test_store_to_rom },
	{ "misaligned", test_misaligned },
	{ "misaligned-fetch-without-c", test_misaligned_fetch_without_c },
	{ "unimplemented-csrs", test_unimplemented_csrs },
	{ "csr-fields", test_csr_fields },
	{ "delegation-xret", test_delegation_and_xret },
	{ "interrupts", test_interrupts },
	{ "device-time-irq", test_device_time_and_irq },
	{ "wfi", test_wfi },
	{ "counters", test_counters },
	{ "pmp", test_pmp },
	{ "self-modifying-code", test_self_modifying_code },
	{ "data-beside-code", test_data_beside_code },
	{ "lrsc-harts", test_lrsc_harts },
	{ "amo-word-rv64", test_amo_word_rv64 },
	{ "semihosting-hook", test_semihosting_hook },
	{ "trap-loop-locks-up", test_trap_loop_locks_up },
	{ "exact-budget", test_exact_budget },
	{ "exec-trace", test_exec_trace },
	{ "disassemble", test_disassemble_class },
	{ "page-straddle", test_page_straddle },
	{ "compiled-matches-interpreter", test_compiled_matches_interpreter },
};

/* The same test with every block compiled to host code on its first entry (cpus/riscv/jit.c;
 * on hosts without the compiler this runs the interpreter again). */
static void run_compiled(gconstpointer data)
{
	void (*fn)(void) = *(void (*const *)(void))data;
	g_setenv("SOCEMU_JIT", "1", TRUE);
	fn();
	g_unsetenv("SOCEMU_JIT");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_unsetenv("SOCEMU_JIT");
	for (size_t i = 0; i < G_N_ELEMENTS(hart_tests); i++) {
		char *path = g_strdup_printf("/riscv/hart/%s", hart_tests[i].name);
		char *compiled = g_strdup_printf("/riscv/hart/compiled/%s", hart_tests[i].name);
		g_test_add_func(path, hart_tests[i].fn);
		g_test_add_data_func(compiled, &hart_tests[i].fn, run_compiled);
		g_free(path);
		g_free(compiled);
	}
	return g_test_run();
}
