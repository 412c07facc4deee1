# cpus/cpus.mk — the CPU models (see ARCHITECTURE.md "Layout").
libsocemu_a_SOURCES += \
	cpus/cpu.h cpus/cpu.c cpus/registry.c \
	cpus/riscv/riscv.h cpus/riscv/internal.h \
	cpus/riscv/insns.def cpus/riscv/csr-names.def \
	cpus/riscv/decode.h cpus/riscv/decode.c cpus/riscv/disas.c \
	cpus/riscv/cpu.c cpus/riscv/csr.c cpus/riscv/mem.c \
	cpus/riscv/exec.h cpus/riscv/exec32.c cpus/riscv/exec64.c cpus/riscv/jit.c \
	cpus/x86-emit.h

# RISC-V tests (tests/unit/test-riscv-*.c; data and generators in tests/riscv/).
check_PROGRAMS += tests/unit/test-riscv-decode tests/unit/test-riscv-disas tests/unit/test-riscv-hart
tests_unit_test_riscv_hart_SOURCES = tests/unit/test-riscv-hart.c tests/riscv/harness.c \
	tests/riscv/harness.h tests/riscv/rv-asm.h
tests_unit_test_riscv_hart_LDADD = $(SOC_UNIT_LIBS)
tests_unit_test_riscv_decode_SOURCES = tests/unit/test-riscv-decode.c
tests_unit_test_riscv_decode_LDADD = $(SOC_UNIT_LIBS)
tests_unit_test_riscv_disas_SOURCES = tests/unit/test-riscv-disas.c
tests_unit_test_riscv_disas_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-riscv-decode tests/unit/test-riscv-disas tests/unit/test-riscv-hart

if HAVE_UNICORN
check_PROGRAMS += tests/unit/test-riscv-lockstep
tests_unit_test_riscv_lockstep_SOURCES = tests/unit/test-riscv-lockstep.c tests/riscv/harness.c \
	tests/riscv/harness.h tests/riscv/rv-asm.h
tests_unit_test_riscv_lockstep_CFLAGS = $(AM_CFLAGS) $(UNICORN_CFLAGS)
tests_unit_test_riscv_lockstep_LDADD = $(SOC_UNIT_LIBS) $(UNICORN_LIBS)
TESTS += tests/unit/test-riscv-lockstep
endif

# Arm Cortex-M cores (cpus/arm/; their tests are in cpus/arm/arm.mk). The FP unit needs libm.
libsocemu_a_SOURCES += \
	cpus/arm/arm.h cpus/arm/arm-internal.h cpus/arm/insns.def cpus/arm/exec-ops.def \
	cpus/arm/decode.c cpus/arm/exec.c cpus/arm/exec-dsp.c cpus/arm/fp.c cpus/arm/mem.c \
	cpus/arm/except.c cpus/arm/scs.c cpus/arm/mpu.c cpus/arm/disas.c cpus/arm/cortex-m.c
SOC_LIBS += -lm
