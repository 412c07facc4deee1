/* tests/riscv/harness.h — RISC-V harts outside a machine, for the unit tests: a cpu node built
 * with libfdt's sequential writer, an address space with RAM from core/memory.h, an event queue
 * and a log. */
#ifndef SOC_TESTS_RV_HARNESS_H
#define SOC_TESTS_RV_HARNESS_H

#include "cpus/riscv/riscv.h"
#include "core/log.h"
#include "core/memory.h"
#include "core/vtime.h"

#include <glib.h>

typedef struct RvtEnv {
	SocLog *log;
	SocEventQueue *events;
	SocAddressSpace *as;
	SocRamBlock *ram;
	uint64_t ram_base, ram_size;
	void *fdt;
	SocCpu *harts[4];
	unsigned n_harts;
} RvtEnv;

typedef struct RvtHartSpec {
	const char *isa;              /* riscv,isa, or NULL to use isa_base + isa_exts */
	const char *isa_base;
	const char *const *isa_exts;  /* NULL-terminated */
	const char *mmu_type;         /* NULL: no mmu-type */
	uint32_t hartid;
	uint64_t reset_vector;        /* socemu,reset-vector (always written) */
} RvtHartSpec;

/* An environment with `ram_size` bytes of RAM at `ram_base`. */
RvtEnv *rvt_env_new(uint64_t ram_base, uint64_t ram_size);
void rvt_env_free(RvtEnv *env);
/* A tree with one cpu node under /cpus per spec; returns the blob (g_free). */
void *rvt_make_fdt(const RvtHartSpec *specs, unsigned n, uint64_t timebase_hz);
/* Create hart `i` of the env's tree (rvt_env_set_harts first); NULL + err on failure. */
SocCpu *rvt_create(RvtEnv *env, const RvtHartSpec *specs, unsigned n, unsigned i, GError **err);
/* Create every hart of specs in env (asserts success). */
void rvt_env_set_harts(RvtEnv *env, const RvtHartSpec *specs, unsigned n);

/* Write little-endian words / read them back. */
void rvt_put_words(RvtEnv *env, uint64_t addr, const uint32_t *w, unsigned n);
uint32_t rvt_get_word(RvtEnv *env, uint64_t addr);
uint64_t rvt_get_dword(RvtEnv *env, uint64_t addr);
/* Run a hart for up to `n` instructions (returns how many it retired). */
uint64_t rvt_run(SocCpu *cpu, uint64_t n);

#endif
