/* tests/fuzz/fuzz.h — what the fuzz targets share.
 *
 * Each target (fuzz-tree.c, fuzz-image.c, fuzz-guest.c) defines LLVMFuzzerInitialize and
 * LLVMFuzzerTestOneInput. Built with clang's -fsanitize=fuzzer (tools/fuzz) they are libFuzzer
 * programs; linked with replay.c they run a saved corpus once as a TAP test in `make check`,
 * so that every input that once broke socemu keeps being tried. An input may make socemu
 * refuse to start or the guest misbehave; it must never crash, hang or leak. */
#ifndef SOC_FUZZ_H
#define SOC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "core/command.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Once per process: quiet stdout (guest consoles), a private temporary directory. */
void soc_fuzz_setup(void);
/* A file of the temporary directory, written with these bytes; the path is static storage
 * that the next call with the same name overwrites. */
const char *soc_fuzz_write(const char *name, const void *data, size_t size);
/* A shipped board (dts/boards/NAME.dts) compiled once into the temporary directory. */
const char *soc_fuzz_board(const char *name);
/* A session whose log goes nowhere, with `tree` loaded; NULL when the tree is refused. */
SocSession *soc_fuzz_session(const char *tree);
/* Run one command with up to two string arguments (NULL names end them); false when it
 * was refused (the error is dropped: refusing bad input is the expected outcome). */
bool soc_fuzz_command(SocSession *s, const char *command, const char *arg1, const char *val1,
                      const char *arg2, const char *val2);
/* Semihosting on, its files confined to a directory of the temporary one. */
void soc_fuzz_semihosting(SocSession *s);
/* Build and run for at most max_insns instructions (and 10 ms of virtual time). */
void soc_fuzz_build_and_run(SocSession *s, int64_t max_insns);

#endif
