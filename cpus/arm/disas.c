/* cpus/arm/disas.c — Thumb disassembly for traces and debuggers, through capstone
 * (CS_ARCH_ARM, Thumb, M-class). An encoding capstone does not know is shown with the name of
 * its entry in socemu's own table, or as raw data. */
#include "cpus/arm/arm-internal.h"

#include <capstone/capstone.h>
#include <stdio.h>

typedef struct ArmDisas {
	csh handle;
	bool ok;
} ArmDisas;

static ArmDisas *disas_get(ArmCpu *c)
{
	ArmDisas *d = c->disas;
	if (!d) {
		d = g_new0(ArmDisas, 1);
		d->ok = cs_open(CS_ARCH_ARM, CS_MODE_THUMB | CS_MODE_MCLASS, &d->handle) == CS_ERR_OK;
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
		cs_close(&d->handle);
	g_free(d);
	c->disas = NULL;
}

unsigned arm_disassemble(SocCpu *cpu, uint64_t addr, char *buf, size_t buflen)
{
	ArmCpu *c = arm_cpu(cpu);
	ArmDisas *d = disas_get(c);
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
	if (d->ok)
		n = cs_disasm(d->handle, bytes, len, addr, 1, &insn);
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
		cs_free(insn, n);
	return len;
}
