/* tests/fuzz/fuzz-guest.c — arbitrary guest code on the shipped boards.
 *
 * The first byte chooses a board (and for the demo SoC, all three clusters at once) and
 * whether blocks are compiled at once (bit 3); the
 * rest is raw code placed where the cores start, so every instruction, CSR, system register,
 * fault path, semihosting call and device register the random code reaches is exercised.
 * The guest may do anything; socemu must stay whole. A small fixed prologue installs a
 * fault handler that steps over the faulting halfword, so that random code keeps running
 * after its first bad instruction. */
#include "tests/fuzz/fuzz.h"

#include <string.h>

#include <glib.h>

/* A Cortex-M image: vectors (initial SP, reset at the code, every other exception at a
 * handler that steps over the faulting halfword, so that a fault does not end the run
 * unless it happens again while stacking), the handler, then the code. ARMv6-M encodings,
 * so that it runs on every core:
 *   mov r0, lr; movs r1, #4; tst r0, r1; bne 1f; mrs r0, msp; b 2f; 1: mrs r0, psp;
 *   2: ldr r1, [r0, #24]; adds r1, #2; str r1, [r0, #24]; bx lr */
#define ARM_VECTORS 48
static const uint8_t arm_handler[] = {
	0x70, 0x46, 0x04, 0x21, 0x08, 0x42, 0x02, 0xd1, 0xef, 0xf3, 0x08, 0x80, 0x01, 0xe0,
	0xef, 0xf3, 0x09, 0x80, 0x81, 0x69, 0x02, 0x31, 0x81, 0x61, 0x70, 0x47, 0x00, 0xbf,
};

static void *arm_image(const uint8_t *code, size_t size, uint32_t sp, size_t *out)
{
	size_t head = ARM_VECTORS * 4 + sizeof(arm_handler);
	uint8_t *img = g_malloc0(head + size);

	for (unsigned i = 0; i < ARM_VECTORS; i++) {
		uint32_t v = i == 0 ? sp : i == 1 ? (uint32_t)head | 1 : (ARM_VECTORS * 4) | 1;
		memcpy(img + 4 * i, &v, 4);
	}
	memcpy(img + ARM_VECTORS * 4, arm_handler, sizeof(arm_handler));
	memcpy(img + head, code, size);
	*out = head + size;
	return img;
}

/* A RISC-V image: mtvec at a handler that steps over the faulting halfword, then the code
 * (at +40):
 *   auipc t0, 0; addi t0, t0, 24; csrw mtvec, t0; j code; nop; nop;
 *   handler: csrr t0, mepc; addi t0, t0, 2; csrw mepc, t0; mret */
static const uint32_t riscv_stub[] = {
	0x00000297, 0x01828293, 0x30529073, 0x01c0006f, 0x00000013, 0x00000013,
	0x341022f3, 0x00228293, 0x34129073, 0x30200073,
};

static void *riscv_image(const uint8_t *code, size_t size, size_t *out)
{
	uint8_t *img = g_malloc(sizeof(riscv_stub) + size);

	for (unsigned i = 0; i < G_N_ELEMENTS(riscv_stub); i++) {
		uint32_t w = GUINT32_TO_LE(riscv_stub[i]);
		memcpy(img + 4 * i, &w, 4);
	}
	memcpy(img + sizeof(riscv_stub), code, size);
	*out = sizeof(riscv_stub) + size;
	return img;
}

static void add_raw(SocSession *s, const char *file, const void *data, size_t size,
                    const char *addr, const char *cluster)
{
	const char *path = soc_fuzz_write(file, data, size);
	g_autofree char *spec = g_strdup_printf("%s@%s", path, addr);

	soc_fuzz_command(s, "add-image", "path", spec, cluster ? "cluster" : NULL, cluster);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const riscv_boards[] = { "riscv32-virt", "riscv-virt" };
	static const char *const arm_boards[] = { "mps2-an385", "mps2-an386", "mps2-an500",
	                                          "mps2-an505", "mps2-an385-m0" };
	unsigned choice;
	SocSession *s;
	void *img;
	size_t len;

	if (size < 1 || size > 64 * 1024)
		return 0;
	choice = data[0] % 8;
	/* Bit 3: every block compiled on its first entry (where the host has a block compiler),
	 * so that random code reaches the compiled paths as well as the interpreters. */
	if (data[0] & 8)
		g_setenv("SOCEMU_JIT", "1", TRUE);
	else
		g_unsetenv("SOCEMU_JIT");
	data++;
	size--;
	if (choice < 2) {
		s = soc_fuzz_session(soc_fuzz_board(riscv_boards[choice]));
		if (!s)
			return 0;
		soc_fuzz_command(s, "set-property", "assignment",
		                 "/cpus/cpu@0:socemu,reset-vector=<0x80000000>", NULL, NULL);
		if (choice == 1)
			soc_fuzz_command(s, "set-property", "assignment",
			                 "/cpus/cpu@1:socemu,reset-vector=<0x80000000>", NULL, NULL);
		img = riscv_image(data, size, &len);
		add_raw(s, "code.bin", img, len, "0x80000000", NULL);
		g_free(img);
	} else if (choice < 7) {
		s = soc_fuzz_session(soc_fuzz_board(arm_boards[choice - 2]));
		if (!s)
			return 0;
		img = arm_image(data, size, 0x20008000, &len);
		add_raw(s, "code.bin", img, len, "0x0", NULL);
		g_free(img);
	} else {
		/* The heterogeneous demo: RV64 app pair, Cortex-M4F and RV32 in one machine. */
		s = soc_fuzz_session(soc_fuzz_board("demo"));
		if (!s)
			return 0;
		soc_fuzz_command(s, "set-property", "assignment",
		                 "/cpus/cpu@0:socemu,reset-vector=<0x80000000>", NULL, NULL);
		soc_fuzz_command(s, "set-property", "assignment",
		                 "/cpus/cpu@1:socemu,reset-vector=<0x80000000>", NULL, NULL);
		soc_fuzz_command(s, "set-property", "assignment",
		                 "/cluster@2/cpu@0:socemu,reset-vector=<0x80000000>", NULL, NULL);
		img = riscv_image(data, size, &len);
		add_raw(s, "app.bin", img, len, "0x80000000", "app");
		add_raw(s, "mgmt.bin", img, len, "0x80000000", "mgmt");
		g_free(img);
		img = arm_image(data, size, 0x20008000, &len);
		add_raw(s, "rt.bin", img, len, "0x0", "rt");
		g_free(img);
	}
	soc_fuzz_semihosting(s);
	soc_fuzz_build_and_run(s, 50000);
	soc_session_free(s);
	return 0;
}
