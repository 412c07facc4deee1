/* core/loader.h — putting images into a cluster's memory.
 *
 * ELF files (through libelf) are loaded segment by segment at their physical (load)
 * addresses, as a boot ROM or a debugger would: PT_LOAD segments, file bytes then zeros up to
 * the memory size. Raw binaries are "FILE@ADDRESS". Every byte must land in RAM or ROM of the
 * target address space; anything else is an error naming the segment and the address. */
#ifndef SOC_LOADER_H
#define SOC_LOADER_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/memory.h"

typedef struct SocImageInfo {
	uint64_t entry;
	bool has_entry;          /* ELF: always; raw: false (the cpu's reset vector applies) */
	unsigned elf_machine;    /* EM_RISCV, EM_ARM, ... (0 for raw) */
	unsigned elf_class;      /* 32 or 64 (0 for raw) */
	uint64_t low, high;      /* lowest and one-past-highest address written */
	GArray *symbols;         /* SocSymbol, sorted by address (ELF with a symbol table) */
	GStringChunk *names;
} SocImageInfo;

typedef struct SocSymbol {
	uint64_t addr, size;
	const char *name;
} SocSymbol;

/* spec: "PATH" (ELF) or "PATH@ADDRESS" (raw binary; ADDRESS in C syntax: 0x..., decimal). */
bool soc_load_image(SocAddressSpace *as, const char *spec, SocImageInfo *info, GError **err);
void soc_image_info_clear(SocImageInfo *info);
/* The symbol containing addr ("main+0x12"), or NULL. */
char *soc_image_symbolize(const SocImageInfo *info, uint64_t addr);

#endif
