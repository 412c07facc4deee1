# tests/firmware/firmware.mk — guest programs cross-built at `make check` time and run by
# socemu through tests/firmware/run-elf.sh (the guest prints TAP, its exit status counts).
# Without the cross compilers the programs are not built and not run.
FIRMWARE_DRIVER = tests/firmware/run-elf.sh
EXTRA_DIST += $(FIRMWARE_DRIVER)
TEST_EXTENSIONS += .elf
ELF_LOG_DRIVER = $(LOG_DRIVER)
ELF_LOG_COMPILER = $(SHELL) $(top_srcdir)/$(FIRMWARE_DRIVER)

# RISC-V: each NAME.c becomes NAME-rv32.elf (riscv32-mcu) and NAME-rv64.elf (riscv-virt), linked
# with the tests' run-time (rt.c, rt.S), whose rt_entry parks every hart but hart 0. Names ask
# run-elf.sh for a variant of the board's harts: NAME-su (S and U modes), NAME-u (U mode),
# NAME-smp (every hart running); NAME-noc is also built without C, for harts without it.
RISCV_FW_SOURCES = \
	tests/firmware/riscv/hello.c \
	tests/firmware/riscv/alu.c \
	tests/firmware/riscv/muldiv.c \
	tests/firmware/riscv/atomic.c \
	tests/firmware/riscv/compressed.c \
	tests/firmware/riscv/zicsr.c \
	tests/firmware/riscv/fencei.c \
	tests/firmware/riscv/traps.c \
	tests/firmware/riscv/clint.c \
	tests/firmware/riscv/plic-uart.c \
	tests/firmware/riscv/semihost.c \
	tests/firmware/riscv/exit-status.c \
	tests/firmware/riscv/board.c \
	tests/firmware/riscv/harts-smp.c \
	tests/firmware/riscv/priv-su.c \
	tests/firmware/riscv/priv-u.c \
	tests/firmware/riscv/misaligned-noc.c
RISCV_FW_RT = tests/firmware/riscv/rt.c tests/firmware/riscv/rt.S tests/firmware/riscv/rt.h
EXTRA_DIST += $(RISCV_FW_SOURCES) $(RISCV_FW_RT) tests/data/riscv32-mcu-smp.dtso
RISCV_PICOLIBC = --specs=picolibc.specs --oslib=semihost --crt0=semihost
# -misa-spec=2.2: Zicsr and Zifencei come with I for the assembler, and -march still picks
# picolibc's multilib (rv32imac_zicsr_zifencei would not match any).
RISCV_FW_CFLAGS = -O2 -g -Wall -Wextra -ffunction-sections -misa-spec=2.2 -Wl,--entry=rt_entry
# Layouts: rv64 on riscv-virt (RAM at 0x80000000), rv32 on riscv32-mcu (flash + SRAM).
RV64_LAYOUT = -mcmodel=medany $(RISCV_PICOLIBC) \
	-Wl,--defsym=__flash=0x80000000 -Wl,--defsym=__flash_size=0x200000 \
	-Wl,--defsym=__ram=0x80200000 -Wl,--defsym=__ram_size=0x200000
RV32_LAYOUT = $(RISCV_PICOLIBC) \
	-Wl,--defsym=__flash=0x20000000 -Wl,--defsym=__flash_size=0x80000 \
	-Wl,--defsym=__ram=0x80000000 -Wl,--defsym=__ram_size=0x10000
RV64_FLAGS = -march=rv64imac -mabi=lp64 $(RV64_LAYOUT)
RV32_FLAGS = -march=rv32imac -mabi=ilp32 $(RV32_LAYOUT)
# Without C (and without A: picolibc has no rv32ima/rv64ima build).
RV64_NOC_FLAGS = -march=rv64im -mabi=lp64 $(RV64_LAYOUT)
RV32_NOC_FLAGS = -march=rv32im -mabi=ilp32 $(RV32_LAYOUT)

if HAVE_RISCV_CC
RISCV_FW_ELFS = $(RISCV_FW_SOURCES:.c=-rv32.elf) $(RISCV_FW_SOURCES:.c=-rv64.elf)
check_SCRIPTS += $(RISCV_FW_ELFS)
CLEANFILES += $(RISCV_FW_ELFS)
TESTS += $(RISCV_FW_ELFS)
endif

# GNU make takes the pattern with the shortest stem: -noc sources use the second pair.
tests/firmware/riscv/%-rv64.elf: tests/firmware/riscv/%.c $(RISCV_FW_RT)
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(RISCV_CC) $(RISCV_FW_CFLAGS) $(RV64_FLAGS) -o $@ $(filter %.c %.S,$^)
tests/firmware/riscv/%-rv32.elf: tests/firmware/riscv/%.c $(RISCV_FW_RT)
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(RISCV_CC) $(RISCV_FW_CFLAGS) $(RV32_FLAGS) -o $@ $(filter %.c %.S,$^)
tests/firmware/riscv/%-noc-rv64.elf: tests/firmware/riscv/%-noc.c $(RISCV_FW_RT)
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(RISCV_CC) $(RISCV_FW_CFLAGS) $(RV64_NOC_FLAGS) -o $@ $(filter %.c %.S,$^)
tests/firmware/riscv/%-noc-rv32.elf: tests/firmware/riscv/%-noc.c $(RISCV_FW_RT)
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(RISCV_CC) $(RISCV_FW_CFLAGS) $(RV32_NOC_FLAGS) -o $@ $(filter %.c %.S,$^)
