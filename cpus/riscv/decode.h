/* cpus/riscv/decode.h — decoding RISC-V instruction words through the encoding table.
 *
 * The decoder, the disassembler, the executor and the tests all read insns.def; this header
 * turns it into an enum of entries (RV_OP_<id>), a table of their properties and a decoder that
 * extracts the operand fields. Compressed instructions decode to their own entry (`id`, for
 * disassembly) and to the base operation they expand to (`exec`, with operands already
 * expanded: c.addi4spn a0,sp,16 gives exec ADDI rd=a0 rs1=sp imm=16). */
#ifndef SOC_RISCV_DECODE_H
#define SOC_RISCV_DECODE_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
	RV_OP_ILLEGAL = 0,
#define RV_INSN(id, name, match, mask, fmt, xl, ext, exec) RV_OP_##id,
#include "cpus/riscv/insns.def"
#undef RV_INSN
	RV_OP_COUNT
} RvOpId;

/* Operand formats: how fields are extracted (and which constraints compressed ones carry). */
typedef enum {
	RV_FMT_NONE,
	RV_FMT_R, RV_FMT_I, RV_FMT_ISH5, RV_FMT_ISH6, RV_FMT_S, RV_FMT_B, RV_FMT_U, RV_FMT_J,
	RV_FMT_CSR, RV_FMT_CSRI, RV_FMT_FENCE, RV_FMT_SYS, RV_FMT_SFENCE, RV_FMT_AMO, RV_FMT_LR,
	/* compressed */
	RV_FMT_CIW, RV_FMT_CLW, RV_FMT_CLD, RV_FMT_CSW, RV_FMT_CSD, RV_FMT_CI, RV_FMT_CIW64,
	RV_FMT_CLI, RV_FMT_C16SP, RV_FMT_CLUI, RV_FMT_CSRXI, RV_FMT_CANDI, RV_FMT_CA, RV_FMT_CJ,
	RV_FMT_CJAL, RV_FMT_CB, RV_FMT_CSLLI, RV_FMT_CLWSP, RV_FMT_CLDSP, RV_FMT_CJR, RV_FMT_CMV,
	RV_FMT_CNONE, RV_FMT_CJALR, RV_FMT_CADD, RV_FMT_CSWSP, RV_FMT_CSDSP,
} RvFormat;

/* XLEN availability. */
#define RV_XL32 1u
#define RV_XL64 2u
#define RV_XLB  3u

/* Extensions an entry needs; a hart enables a set of them. */
enum {
	RV_EXT_I = 1u << 0,
	RV_EXT_M = 1u << 1,
	RV_EXT_A = 1u << 2,
	RV_EXT_C = 1u << 3,
	RV_EXT_ZICSR = 1u << 4,
	RV_EXT_ZIFENCEI = 1u << 5,
	RV_EXT_S = 1u << 6,        /* supervisor mode: sret, sfence.vma */
	RV_EXT_DISAS = 1u << 7,    /* disassembled only */
	RV_EXT_ALL = 0xffu,
};

typedef struct RvInsnInfo {
	const char *name;
	uint32_t match, mask;
	uint8_t fmt;               /* RvFormat */
	uint8_t xlen;              /* RV_XL32 | RV_XL64 */
	uint8_t ext;               /* one RV_EXT_* bit */
	uint16_t exec;             /* RvOpId of the operation performed */
} RvInsnInfo;

extern const RvInsnInfo rv_insn_info[RV_OP_COUNT];

typedef struct RvDecoded {
	uint16_t id;               /* entry (RV_OP_ILLEGAL when no entry accepts the word) */
	uint16_t exec;             /* operation (RV_OP_ILLEGAL likewise) */
	uint8_t len;               /* 2 or 4 */
	uint8_t rd, rs1, rs2;
	int32_t imm;               /* sign-extended immediate, shift amount, CSR number, fence bits,
	                            * aq/rl bits of an AMO */
	uint32_t zimm;             /* CSRI: the 5-bit immediate (also in rs1) */
	uint32_t raw;              /* the instruction bits (16 for compressed) */
} RvDecoded;

static inline unsigned rv_insn_length(uint32_t lo16)
{
	return (lo16 & 3) == 3 ? 4 : 2;
}

/* Decode `raw` (the low 16 bits only are used when they mark a compressed instruction) for
 * a hart of `xlen` (32 or 64) with the extensions in `ext` (RV_EXT_* bits). Returns false and
 * sets id = exec = RV_OP_ILLEGAL when no enabled entry accepts the word. */
bool rv_decode(uint32_t raw, unsigned xlen, unsigned ext, RvDecoded *d);

/* Whether entry `id` accepts `raw` for `xlen`, constraints included (for the table tests). */
bool rv_entry_accepts(unsigned id, uint32_t raw, unsigned xlen);

/* Disassemble one decoded instruction at `pc` as riscv64-unknown-elf-objdump -d prints it
 * (mnemonic, a tab, operands; branch targets as bare hex addresses). Returns the length. */
unsigned rv_disas(unsigned xlen, uint64_t pc, uint32_t raw, char *buf, unsigned buflen);
/* The CSR name objdump uses, or NULL. */
const char *rv_csr_name(unsigned csr);

#endif
