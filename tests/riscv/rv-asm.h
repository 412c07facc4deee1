/* tests/riscv/rv-asm.h — a tiny RISC-V encoder for tests that build guest code in C.
 *
 * Each function returns one instruction word; register arguments are numbers (use the
 * RV_A0... names). Only what the tests use is here. */
#ifndef SOC_TESTS_RV_ASM_H
#define SOC_TESTS_RV_ASM_H

#include <stdint.h>

enum {
	RV_ZERO = 0, RV_RA = 1, RV_SP = 2, RV_GP = 3, RV_TP = 4, RV_T0 = 5, RV_T1 = 6, RV_T2 = 7,
	RV_S0 = 8, RV_S1 = 9, RV_A0 = 10, RV_A1 = 11, RV_A2 = 12, RV_A3 = 13, RV_A4 = 14, RV_A5 = 15,
	RV_A6 = 16, RV_A7 = 17, RV_S2 = 18, RV_T3 = 28, RV_T4 = 29, RV_T5 = 30, RV_T6 = 31,
};

static inline uint32_t rva_r(unsigned f7, unsigned rs2, unsigned rs1, unsigned f3, unsigned rd, unsigned opc)
{
	return (f7 << 25) | ((rs2 & 31) << 20) | ((rs1 & 31) << 15) | (f3 << 12) | ((rd & 31) << 7) | opc;
}

static inline uint32_t rva_i(int32_t imm, unsigned rs1, unsigned f3, unsigned rd, unsigned opc)
{
	return ((uint32_t)(imm & 0xfff) << 20) | ((rs1 & 31) << 15) | (f3 << 12) | ((rd & 31) << 7) | opc;
}

static inline uint32_t rva_s(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3, unsigned opc)
{
	uint32_t u = (uint32_t)imm;
	return (((u >> 5) & 0x7f) << 25) | ((rs2 & 31) << 20) | ((rs1 & 31) << 15) | (f3 << 12) |
	       ((u & 31) << 7) | opc;
}

static inline uint32_t rva_b(int32_t off, unsigned rs2, unsigned rs1, unsigned f3)
{
	uint32_t u = (uint32_t)off;
	return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | ((rs2 & 31) << 20) |
	       ((rs1 & 31) << 15) | (f3 << 12) | (((u >> 1) & 0xf) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}

static inline uint32_t rva_u(uint32_t imm20, unsigned rd, unsigned opc)
{
	return (imm20 << 12) | ((rd & 31) << 7) | opc;
}

static inline uint32_t rva_j(int32_t off, unsigned rd)
{
	uint32_t u = (uint32_t)off;
	return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3ff) << 21) | (((u >> 11) & 1) << 20) |
	       (((u >> 12) & 0xff) << 12) | ((rd & 31) << 7) | 0x6f;
}

static inline uint32_t RVA_ADDI(unsigned rd, unsigned rs1, int32_t imm) { return rva_i(imm, rs1, 0, rd, 0x13); }
static inline uint32_t RVA_ADDIW(unsigned rd, unsigned rs1, int32_t imm) { return rva_i(imm, rs1, 0, rd, 0x1b); }
static inline uint32_t RVA_ANDI(unsigned rd, unsigned rs1, int32_t imm) { return rva_i(imm, rs1, 7, rd, 0x13); }
static inline uint32_t RVA_ORI(unsigned rd, unsigned rs1, int32_t imm) { return rva_i(imm, rs1, 6, rd, 0x13); }
static inline uint32_t RVA_SLLI(unsigned rd, unsigned rs1, unsigned sh) { return rva_i((int32_t)sh, rs1, 1, rd, 0x13); }
static inline uint32_t RVA_SRLI(unsigned rd, unsigned rs1, unsigned sh) { return rva_i((int32_t)sh, rs1, 5, rd, 0x13); }
static inline uint32_t RVA_LUI(unsigned rd, uint32_t imm20) { return rva_u(imm20 & 0xfffff, rd, 0x37); }
static inline uint32_t RVA_AUIPC(unsigned rd, uint32_t imm20) { return rva_u(imm20 & 0xfffff, rd, 0x17); }
static inline uint32_t RVA_ADD(unsigned rd, unsigned a, unsigned b) { return rva_r(0, b, a, 0, rd, 0x33); }
static inline uint32_t RVA_SUB(unsigned rd, unsigned a, unsigned b) { return rva_r(0x20, b, a, 0, rd, 0x33); }
static inline uint32_t RVA_MUL(unsigned rd, unsigned a, unsigned b) { return rva_r(1, b, a, 0, rd, 0x33); }
static inline uint32_t RVA_LB(unsigned rd, unsigned rs1, int32_t off) { return rva_i(off, rs1, 0, rd, 0x03); }
static inline uint32_t RVA_LH(unsigned rd, unsigned rs1, int32_t off) { return rva_i(off, rs1, 1, rd, 0x03); }
static inline uint32_t RVA_LW(unsigned rd, unsigned rs1, int32_t off) { return rva_i(off, rs1, 2, rd, 0x03); }
static inline uint32_t RVA_LD(unsigned rd, unsigned rs1, int32_t off) { return rva_i(off, rs1, 3, rd, 0x03); }
static inline uint32_t RVA_LBU(unsigned rd, unsigned rs1, int32_t off) { return rva_i(off, rs1, 4, rd, 0x03); }
static inline uint32_t RVA_LHU(unsigned rd, unsigned rs1, int32_t off) { return rva_i(off, rs1, 5, rd, 0x03); }
static inline uint32_t RVA_LWU(unsigned rd, unsigned rs1, int32_t off) { return rva_i(off, rs1, 6, rd, 0x03); }
static inline uint32_t RVA_SB(unsigned rs2, unsigned rs1, int32_t off) { return rva_s(off, rs2, rs1, 0, 0x23); }
static inline uint32_t RVA_SH(unsigned rs2, unsigned rs1, int32_t off) { return rva_s(off, rs2, rs1, 1, 0x23); }
static inline uint32_t RVA_SW(unsigned rs2, unsigned rs1, int32_t off) { return rva_s(off, rs2, rs1, 2, 0x23); }
static inline uint32_t RVA_SD(unsigned rs2, unsigned rs1, int32_t off) { return rva_s(off, rs2, rs1, 3, 0x23); }
static inline uint32_t RVA_BEQ(unsigned a, unsigned b, int32_t off) { return rva_b(off, b, a, 0); }
static inline uint32_t RVA_BNE(unsigned a, unsigned b, int32_t off) { return rva_b(off, b, a, 1); }
static inline uint32_t RVA_BLT(unsigned a, unsigned b, int32_t off) { return rva_b(off, b, a, 4); }
static inline uint32_t RVA_BGE(unsigned a, unsigned b, int32_t off) { return rva_b(off, b, a, 5); }
static inline uint32_t RVA_BLTU(unsigned a, unsigned b, int32_t off) { return rva_b(off, b, a, 6); }
static inline uint32_t RVA_BGEU(unsigned a, unsigned b, int32_t off) { return rva_b(off, b, a, 7); }
static inline uint32_t RVA_JAL(unsigned rd, int32_t off) { return rva_j(off, rd); }
static inline uint32_t RVA_JALR(unsigned rd, unsigned rs1, int32_t off) { return rva_i(off, rs1, 0, rd, 0x67); }
static inline uint32_t RVA_CSRRW(unsigned rd, unsigned csr, unsigned rs1) { return rva_i((int32_t)csr, rs1, 1, rd, 0x73); }
static inline uint32_t RVA_CSRRS(unsigned rd, unsigned csr, unsigned rs1) { return rva_i((int32_t)csr, rs1, 2, rd, 0x73); }
static inline uint32_t RVA_CSRRC(unsigned rd, unsigned csr, unsigned rs1) { return rva_i((int32_t)csr, rs1, 3, rd, 0x73); }
static inline uint32_t RVA_CSRRWI(unsigned rd, unsigned csr, unsigned z) { return rva_i((int32_t)csr, z, 5, rd, 0x73); }
static inline uint32_t RVA_CSRRSI(unsigned rd, unsigned csr, unsigned z) { return rva_i((int32_t)csr, z, 6, rd, 0x73); }
static inline uint32_t RVA_CSRRCI(unsigned rd, unsigned csr, unsigned z) { return rva_i((int32_t)csr, z, 7, rd, 0x73); }
static inline uint32_t RVA_CSRR(unsigned rd, unsigned csr) { return RVA_CSRRS(rd, csr, 0); }
static inline uint32_t RVA_CSRW(unsigned csr, unsigned rs1) { return RVA_CSRRW(0, csr, rs1); }
static inline uint32_t RVA_LR_W(unsigned rd, unsigned rs1) { return rva_r(0x08, 0, rs1, 2, rd, 0x2f); }
static inline uint32_t RVA_SC_W(unsigned rd, unsigned rs2, unsigned rs1) { return rva_r(0x0c, rs2, rs1, 2, rd, 0x2f); }
static inline uint32_t RVA_AMOADD_W(unsigned rd, unsigned rs2, unsigned rs1) { return rva_r(0x00, rs2, rs1, 2, rd, 0x2f); }
static inline uint32_t RVA_AMOSWAP_W(unsigned rd, unsigned rs2, unsigned rs1) { return rva_r(0x04, rs2, rs1, 2, rd, 0x2f); }
#define RVA_NOP 0x00000013u
#define RVA_ECALL 0x00000073u
#define RVA_EBREAK 0x00100073u
#define RVA_MRET 0x30200073u
#define RVA_SRET 0x10200073u
#define RVA_WFI 0x10500073u
#define RVA_FENCE_I 0x0000100fu
#define RVA_SFENCE_VMA 0x12000073u

#endif
