# examples/demo/demo.mk — the demo board's firmware (dts/boards/demo.dts names it in
# /domains), built with the Debian cross compilers by `make` when they are installed.
DEMO_RISCV_CFLAGS = -O2 -nostdlib -ffreestanding -Wall -Wextra -Wl,--no-warn-rwx-segments
DEMO_ARM_CFLAGS = -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 $(DEMO_RISCV_CFLAGS)
DEMO_ELFS = examples/demo/app.elf examples/demo/rt.elf examples/demo/mgmt.elf
EXTRA_DIST += examples/demo/demo.h examples/demo/app.c examples/demo/app-start.S \
	examples/demo/rt.c examples/demo/mgmt.c examples/demo/mgmt-start.S \
	examples/demo/riscv.ld examples/demo/rt.ld dts/boards/demo.dts dts/profiles/demo-files.dtso

if HAVE_DEMO_CC
all-local: $(DEMO_ELFS)
CLEANFILES += $(DEMO_ELFS)
endif

examples/demo/app.elf: examples/demo/app-start.S examples/demo/app.c examples/demo/demo.h examples/demo/riscv.ld
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(RISCV_CC) $(DEMO_RISCV_CFLAGS) -march=rv64imac_zicsr -mabi=lp64 -mcmodel=medany \
	  -Wl,--defsym=__ram_origin=0x80000000 -Wl,--defsym=__ram_length=0x1000000 \
	  -T $(srcdir)/examples/demo/riscv.ld -o $@ $(srcdir)/examples/demo/app-start.S $(srcdir)/examples/demo/app.c
examples/demo/mgmt.elf: examples/demo/mgmt-start.S examples/demo/mgmt.c examples/demo/demo.h examples/demo/riscv.ld
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(RISCV_CC) $(DEMO_RISCV_CFLAGS) -march=rv32imac_zicsr -mabi=ilp32 \
	  -Wl,--defsym=__ram_origin=0x80000000 -Wl,--defsym=__ram_length=0x10000 \
	  -T $(srcdir)/examples/demo/riscv.ld -o $@ $(srcdir)/examples/demo/mgmt-start.S $(srcdir)/examples/demo/mgmt.c
examples/demo/rt.elf: examples/demo/rt.c examples/demo/demo.h examples/demo/rt.ld
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(ARM_CC) $(DEMO_ARM_CFLAGS) -T $(srcdir)/examples/demo/rt.ld -o $@ $(srcdir)/examples/demo/rt.c
