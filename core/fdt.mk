# core/fdt.mk — the device-tree query layer (core/fdt.h) and its unit tests.
libsocemu_a_SOURCES += core/fdt.c core/fdt-addr.c core/fdt-irq.c core/fdt.h

FDT_TEST_COMMON = tests/unit/test-fdt-common.c
check_PROGRAMS += tests/unit/test-fdt-prop tests/unit/test-fdt-addr tests/unit/test-fdt-irq \
	tests/unit/test-fdt-index
tests_unit_test_fdt_prop_SOURCES = tests/unit/test-fdt-prop.c $(FDT_TEST_COMMON)
tests_unit_test_fdt_prop_LDADD = $(SOC_UNIT_LIBS)
tests_unit_test_fdt_addr_SOURCES = tests/unit/test-fdt-addr.c $(FDT_TEST_COMMON)
tests_unit_test_fdt_addr_LDADD = $(SOC_UNIT_LIBS)
tests_unit_test_fdt_irq_SOURCES = tests/unit/test-fdt-irq.c $(FDT_TEST_COMMON)
tests_unit_test_fdt_irq_LDADD = $(SOC_UNIT_LIBS)
tests_unit_test_fdt_index_SOURCES = tests/unit/test-fdt-index.c $(FDT_TEST_COMMON)
tests_unit_test_fdt_index_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-fdt-prop tests/unit/test-fdt-addr tests/unit/test-fdt-irq \
	tests/unit/test-fdt-index

# Fixtures are .dts sources, compiled by the tests at run time with $(DTC).
EXTRA_DIST += \
	tests/data/fdt/props.dts \
	tests/data/fdt/addr.dts \
	tests/data/fdt/addr-bad.dts \
	tests/data/fdt/irq.dts \
	tests/data/fdt/irq-bad.dts \
	tests/data/fdt/deps.dts \
	tests/data/bad-reg-cells.dts \
	tests/data/bad-dangling-phandle.dts \
	tests/data/bad-phandle-cycle.dts \
	tests/data/bad-interrupt-map.dts
