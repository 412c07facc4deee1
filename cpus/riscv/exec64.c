/* cpus/riscv/exec64.c — the RV64 instance of the execute loop (exec.h). */
#include "cpus/riscv/internal.h"

#include <string.h>

#define XLEN 64
typedef uint64_t xreg_t;
typedef int64_t sxreg_t;
#define XREGS cpu->x64
#define HANDLERS rv_exec64_handlers

const void *const *rv_exec64_handlers;

#define RV_TRACE 0
#define EXEC_FN rv_exec64
#include "cpus/riscv/exec.h"
#undef RV_TRACE
#undef EXEC_FN

#define RV_TRACE 1
#define EXEC_FN rv_exec64_trace
#include "cpus/riscv/exec.h"
