# tests/firmware/firmware.mk — guest programs cross-built at `make check` time and run by
# socemu through tests/firmware/run-elf.sh (the guest prints TAP, its exit status counts).
# Without the cross compilers the programs are not built and not run.
FIRMWARE_DRIVER = tests/firmware/run-elf.sh
EXTRA_DIST += $(FIRMWARE_DRIVER)
TEST_EXTENSIONS += .elf
ELF_LOG_DRIVER = $(LOG_DRIVER)
ELF_LOG_COMPILER = $(SHELL) $(top_srcdir)/$(FIRMWARE_DRIVER)

RISCV_FW_SOURCES = tests/firmware/riscv/hello.c
EXTRA_DIST += $(RISCV_FW_SOURCES)
RISCV_PICOLIBC = --specs=picolibc.specs --oslib=semihost --crt0=semihost
RISCV_FW_CFLAGS = -O2 -g -Wall -Wextra -ffunction-sections
# Layouts: rv64 on riscv-virt (RAM at 0x80000000), rv32 on riscv32-mcu (flash + SRAM).
RV64_FLAGS = -march=rv64imac -mabi=lp64 -mcmodel=medany $(RISCV_PICOLIBC) \
	-Wl,--defsym=__flash=0x80000000 -Wl,--defsym=__flash_size=0x200000 \
	-Wl,--defsym=__ram=0x80200000 -Wl,--defsym=__ram_size=0x200000
RV32_FLAGS = -march=rv32imac -mabi=ilp32 $(RISCV_PICOLIBC) \
	-Wl,--defsym=__flash=0x20000000 -Wl,--defsym=__flash_size=0x80000 \
	-Wl,--defsym=__ram=0x80000000 -Wl,--defsym=__ram_size=0x10000

if HAVE_RISCV_CC
RISCV_FW_ELFS = $(RISCV_FW_SOURCES:.c=-rv32.elf) $(RISCV_FW_SOURCES:.c=-rv64.elf)
check_SCRIPTS += $(RISCV_FW_ELFS)
CLEANFILES += $(RISCV_FW_ELFS)
TESTS += $(RISCV_FW_ELFS)
endif

tests/firmware/riscv/%-rv64.elf: tests/firmware/riscv/%.c
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(RISCV_CC) $(RISCV_FW_CFLAGS) $(RV64_FLAGS) -o $@ $<
tests/firmware/riscv/%-rv32.elf: tests/firmware/riscv/%.c
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(RISCV_CC) $(RISCV_FW_CFLAGS) $(RV32_FLAGS) -o $@ $<
