# devices/devices.mk — device models, one file each, and the registry table.
libsocemu_a_SOURCES += \
	devices/registry.c \
	devices/memory.c \
	devices/ns16550a.c \
	devices/sifive-test.c \
	devices/syscon.c \
	devices/syscon-power.c \
	devices/arm-mhu.c

check_PROGRAMS += tests/unit/test-devices
tests_unit_test_devices_SOURCES = tests/unit/test-devices.c tests/unit/device-harness.c tests/unit/device-harness.h
tests_unit_test_devices_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-devices
EXTRA_DIST += tests/data/devices.dts

# RISC-V platform devices: hart-local controller, CLINT/ACLINT, PLIC, SiFive UART.
libsocemu_a_SOURCES += \
	devices/riscv-cpu-intc.c \
	devices/riscv-aclint.c \
	devices/sifive-plic.c \
	devices/sifive-uart.c

check_PROGRAMS += tests/unit/test-riscv-devices
tests_unit_test_riscv_devices_SOURCES = tests/unit/test-riscv-devices.c tests/unit/device-harness.c tests/unit/device-harness.h
tests_unit_test_riscv_devices_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-riscv-devices
EXTRA_DIST += \
	tests/data/riscv-devices.dts \
	tests/data/bad-plic-source.dts \
	tests/data/bad-plic-source-zero.dts \
	tests/data/bad-intc-cause.dts \
	tests/data/bad-clint-no-timebase.dts

# Arm UARTs: PL011 and the CMSDK APB UART of the MPS2 boards.
libsocemu_a_SOURCES += \
	devices/arm-pl011.c \
	devices/arm-cmsdk-uart.c

check_PROGRAMS += tests/unit/test-arm-uarts
tests_unit_test_arm_uarts_SOURCES = tests/unit/test-arm-uarts.c tests/unit/device-harness.c tests/unit/device-harness.h
tests_unit_test_arm_uarts_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-arm-uarts
EXTRA_DIST += tests/data/arm-uarts.dts

# Arm CMSDK timers of the MPS2 boards: APB timer, dual timer, watchdog.
libsocemu_a_SOURCES += \
	devices/arm-cmsdk-timer.c \
	devices/arm-cmsdk-dualtimer.c \
	devices/arm-cmsdk-watchdog.c

check_PROGRAMS += tests/unit/test-cmsdk-timers
tests_unit_test_cmsdk_timers_SOURCES = tests/unit/test-cmsdk-timers.c tests/unit/device-harness.c tests/unit/device-harness.h
tests_unit_test_cmsdk_timers_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-cmsdk-timers
EXTRA_DIST += \
	tests/data/cmsdk-timers.dts \
	tests/data/bad-cmsdk-timer-no-clock.dts
