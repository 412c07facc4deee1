/* cpus/riscv/exec32.c — the RV32 instance of the execute loop (exec.h). */
#include "cpus/riscv/internal.h"

#include <string.h>

#define XLEN 32
typedef uint32_t xreg_t;
typedef int32_t sxreg_t;
#define XREGS cpu->x32
#define HANDLERS rv_exec32_handlers

const void *const *rv_exec32_handlers;

#define RV_TRACE 0
#define EXEC_FN rv_exec32
#include "cpus/riscv/exec.h"
#undef RV_TRACE
#undef EXEC_FN

#define RV_TRACE 1
#define EXEC_FN rv_exec32_trace
#include "cpus/riscv/exec.h"
