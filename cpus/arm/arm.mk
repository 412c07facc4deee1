# cpus/arm/arm.mk — the Cortex-M cores' tests (most of their sources are listed in cpus/cpus.mk).

# The block executor and the instruction bodies it shares with exec.c.
libsocemu_a_SOURCES += cpus/arm/block.c cpus/arm/exec-inl.h
# Hot blocks compiled to x86-64 code, with the encoder shared with the RISC-V compiler.
libsocemu_a_SOURCES += cpus/arm/jit.c

# Unit tests: the encoding table and decoder, a bare core, the block executor against
# one-instruction runs, lockstep against unicorn.
check_PROGRAMS += tests/unit/test-arm-decode tests/unit/test-arm-core tests/unit/test-arm-block
tests_unit_test_arm_block_SOURCES = tests/unit/test-arm-block.c tests/arm/arm-harness.c tests/arm/arm-harness.h
tests_unit_test_arm_block_LDADD = $(SOC_UNIT_LIBS)
tests_unit_test_arm_decode_SOURCES = tests/unit/test-arm-decode.c tests/arm/arm-harness.c tests/arm/arm-harness.h
tests_unit_test_arm_decode_LDADD = $(SOC_UNIT_LIBS)
tests_unit_test_arm_core_SOURCES = tests/unit/test-arm-core.c tests/arm/arm-harness.c tests/arm/arm-harness.h
tests_unit_test_arm_core_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-arm-decode tests/unit/test-arm-core tests/unit/test-arm-block

if HAVE_UNICORN
# One source, two programs (Cortex-M0/M3/M4F, then M7/M33), each well under a minute.
check_PROGRAMS += tests/unit/test-arm-lockstep-a tests/unit/test-arm-lockstep-b
tests_unit_test_arm_lockstep_a_SOURCES = tests/unit/test-arm-lockstep.c tests/arm/arm-harness.c \
	tests/arm/arm-harness.h
tests_unit_test_arm_lockstep_a_CPPFLAGS = $(AM_CPPFLAGS) -DLOCK_PART=1
tests_unit_test_arm_lockstep_a_CFLAGS = $(AM_CFLAGS) $(UNICORN_CFLAGS)
tests_unit_test_arm_lockstep_a_LDADD = $(SOC_UNIT_LIBS) $(UNICORN_LIBS)
tests_unit_test_arm_lockstep_b_SOURCES = $(tests_unit_test_arm_lockstep_a_SOURCES)
tests_unit_test_arm_lockstep_b_CPPFLAGS = $(AM_CPPFLAGS) -DLOCK_PART=2
tests_unit_test_arm_lockstep_b_CFLAGS = $(AM_CFLAGS) $(UNICORN_CFLAGS)
tests_unit_test_arm_lockstep_b_LDADD = $(SOC_UNIT_LIBS) $(UNICORN_LIBS)
TESTS += tests/unit/test-arm-lockstep-a tests/unit/test-arm-lockstep-b
endif

# Guest programs: NAME.c becomes NAME-CORE.elf for the cores it applies to, linked with the
# run-time (rt.c) for the MPS2 memory map (image at 0, 64 KiB of RAM at 0x20000000). They run
# through tests/integration/arm-firmware.sh, which picks the board by the suffix.
ARM_FW_DIR = tests/firmware/arm
ARM_FW_RT = $(ARM_FW_DIR)/rt.c $(ARM_FW_DIR)/rt.h
ARM_FW_ALL = exceptions insns timing
ARM_FW_ELFS = \
	$(ARM_FW_ALL:%=$(ARM_FW_DIR)/%-m0.elf) $(ARM_FW_ALL:%=$(ARM_FW_DIR)/%-m3.elf) \
	$(ARM_FW_ALL:%=$(ARM_FW_DIR)/%-m4f.elf) $(ARM_FW_ALL:%=$(ARM_FW_DIR)/%-m7.elf) \
	$(ARM_FW_ALL:%=$(ARM_FW_DIR)/%-m33.elf) \
	$(ARM_FW_DIR)/dsp-m4f.elf $(ARM_FW_DIR)/dsp-m7.elf $(ARM_FW_DIR)/dsp-m33.elf \
	$(ARM_FW_DIR)/fp-m4f.elf $(ARM_FW_DIR)/fp-m7.elf $(ARM_FW_DIR)/fp-m33.elf \
	$(ARM_FW_DIR)/mpu-m3.elf $(ARM_FW_DIR)/mpu-m4f.elf $(ARM_FW_DIR)/mpu-m7.elf $(ARM_FW_DIR)/mpu-m33.elf \
	$(ARM_FW_DIR)/lockup-m0.elf $(ARM_FW_DIR)/lockup-m3.elf $(ARM_FW_DIR)/reset-m4f.elf \
	$(ARM_FW_DIR)/semihost-m0.elf $(ARM_FW_DIR)/semihost-m33.elf
ARM_FW_SRCS = $(ARM_FW_ALL:%=$(ARM_FW_DIR)/%.c) $(ARM_FW_DIR)/dsp.c $(ARM_FW_DIR)/fp.c \
	$(ARM_FW_DIR)/mpu.c $(ARM_FW_DIR)/lockup.c $(ARM_FW_DIR)/reset.c $(ARM_FW_DIR)/semihost.c
ARM_FW_CFLAGS = -O2 -g -Wall -Wextra -mthumb --specs=picolibc.specs --oslib=semihost --crt0=semihost \
	-Wl,--defsym=__flash=0 -Wl,--defsym=__flash_size=0x400000 \
	-Wl,--defsym=__ram=0x20000000 -Wl,--defsym=__ram_size=0x10000
EXTRA_DIST += $(ARM_FW_SRCS) $(ARM_FW_RT) tests/integration/arm-firmware.sh
TESTS += tests/integration/arm-firmware.sh

if HAVE_ARM_CC
check_SCRIPTS += $(ARM_FW_ELFS)
CLEANFILES += $(ARM_FW_ELFS)
endif

$(ARM_FW_DIR)/%-m0.elf: $(ARM_FW_DIR)/%.c $(ARM_FW_RT)
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(ARM_CC) $(ARM_FW_CFLAGS) -mcpu=cortex-m0 -o $@ $(filter %.c,$^) -lm
$(ARM_FW_DIR)/%-m3.elf: $(ARM_FW_DIR)/%.c $(ARM_FW_RT)
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(ARM_CC) $(ARM_FW_CFLAGS) -mcpu=cortex-m3 -o $@ $(filter %.c,$^) -lm
$(ARM_FW_DIR)/%-m4f.elf: $(ARM_FW_DIR)/%.c $(ARM_FW_RT)
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(ARM_CC) $(ARM_FW_CFLAGS) -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 \
		-mfloat-abi=hard -o $@ $(filter %.c,$^) -lm
$(ARM_FW_DIR)/%-m7.elf: $(ARM_FW_DIR)/%.c $(ARM_FW_RT)
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(ARM_CC) $(ARM_FW_CFLAGS) -mcpu=cortex-m7 -mfpu=fpv5-d16 \
		-mfloat-abi=hard -o $@ $(filter %.c,$^) -lm
$(ARM_FW_DIR)/%-m33.elf: $(ARM_FW_DIR)/%.c $(ARM_FW_RT)
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(ARM_CC) $(ARM_FW_CFLAGS) -mcpu=cortex-m33 -mfpu=fpv5-sp-d16 \
		-mfloat-abi=hard -o $@ $(filter %.c,$^) -lm

# The boards (installed with the others for users' own trees).
nobase_dist_pkgdata_DATA += \
	dts/boards/mps2-an385.dts dts/boards/mps2-an385-m0.dts dts/boards/mps2-an386.dts \
	dts/boards/mps2-an500.dts dts/boards/mps2-an505.dts \
	dts/include/mps2.dtsi dts/include/armv6-m.dtsi dts/include/armv7-m.dtsi dts/include/armv8-m.dtsi
