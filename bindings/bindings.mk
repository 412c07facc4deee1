# bindings/bindings.mk — one binding document per device model (bindings/README.md), installed
# into $(pkgdatadir)/bindings, and the test that keeps them in step with devices/.
nobase_dist_pkgdata_DATA += \
	bindings/README.md \
	bindings/memory.yaml \
	bindings/mmio-sram.yaml \
	bindings/rom.yaml \
	bindings/ns16550a.yaml \
	bindings/sifive-test.yaml \
	bindings/riscv-cpu-intc.yaml \
	bindings/sifive-clint.yaml \
	bindings/riscv-aclint-mswi.yaml \
	bindings/riscv-aclint-mtimer.yaml \
	bindings/riscv-aclint-sswi.yaml \
	bindings/sifive-plic.yaml \
	bindings/sifive-uart.yaml \
	bindings/syscon.yaml \
	bindings/syscon-poweroff.yaml \
	bindings/syscon-reboot.yaml \
	bindings/arm-mhu.yaml

check_PROGRAMS += tests/unit/test-bindings
tests_unit_test_bindings_SOURCES = tests/unit/test-bindings.c
tests_unit_test_bindings_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-bindings

# Arm CMSDK timers (devices/arm-cmsdk-*.c).
nobase_dist_pkgdata_DATA += \
	bindings/arm-cmsdk-timer.yaml \
	bindings/arm-cmsdk-dualtimer.yaml \
	bindings/arm-cmsdk-watchdog.yaml
nobase_dist_pkgdata_DATA += bindings/arm-pl011.yaml bindings/arm-cmsdk-uart.yaml
