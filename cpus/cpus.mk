# cpus/cpus.mk — the CPU models (see ARCHITECTURE.md "Layout").
libsocemu_a_SOURCES += \
	cpus/cpu.h cpus/cpu.c cpus/registry.c \
	cpus/riscv/riscv.h cpus/riscv/internal.h \
	cpus/riscv/insns.def cpus/riscv/csr-names.def \
	cpus/riscv/decode.h cpus/riscv/decode.c cpus/riscv/disas.c \
	cpus/riscv/cpu.c cpus/riscv/csr.c cpus/riscv/mem.c \
	cpus/riscv/exec.h cpus/riscv/exec32.c cpus/riscv/exec64.c

# RISC-V tests (tests/unit/test-riscv-*.c; data and generators in tests/riscv/).
check_PROGRAMS += tests/unit/test-riscv-decode tests/unit/test-riscv-disas
tests_unit_test_riscv_decode_SOURCES = tests/unit/test-riscv-decode.c
tests_unit_test_riscv_decode_LDADD = $(SOC_UNIT_LIBS)
tests_unit_test_riscv_disas_SOURCES = tests/unit/test-riscv-disas.c
tests_unit_test_riscv_disas_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-riscv-decode tests/unit/test-riscv-disas
