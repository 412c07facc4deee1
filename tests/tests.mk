# tests/tests.mk — integration tests (TAP shell scripts) and shared test data.
TESTS += \
	tests/integration/cli.sh \
	tests/integration/report.sh \
	tests/integration/tree-edits.sh \
	tests/integration/bad-input.sh \
	tests/integration/address-map.sh \
	tests/integration/example-project.sh \
	tests/integration/multi-cluster.sh \
	tests/integration/idle.sh \
	tests/integration/demo.sh \
	tests/integration/guest-dtb.sh \
	tests/integration/run-end.sh
EXTRA_DIST += \
	tests/integration/lib.sh \
	tests/integration/cli.sh \
	tests/integration/report.sh \
	tests/integration/tree-edits.sh \
	tests/integration/bad-input.sh \
	tests/data/bad-overlap.dts \
	tests/data/bad-required-property.dts \
	tests/data/bad-property-range.dts \
	tests/data/bad-address-map-length.dts \
	tests/data/bad-address-map-overlap.dts \
	tests/data/sdt-clusters.dts \
	tests/data/sdt-2cell.dts \
	tests/data/fanout.dts \
	tests/integration/address-map.sh \
	tests/integration/example-project.sh \
	examples/firmware-suite/configure.ac \
	examples/firmware-suite/Makefile.am \
	examples/firmware-suite/README.md \
	examples/firmware-suite/pass.c \
	examples/firmware-suite/fail.c \
	examples/firmware-suite/timeout.c \
	tests/integration/multi-cluster.sh \
	tests/integration/idle.sh \
	tests/data/hetero-rv.dts \
	tests/firmware/hetero/mailbox.h \
	tests/firmware/hetero/ping.c \
	tests/firmware/hetero/pong.c \
	tests/integration/demo.sh \
	tests/integration/guest-dtb.sh \
	tests/integration/run-end.sh

# core/json.c: values, the strict parser (with random and truncated inputs) and the writer.
check_PROGRAMS += tests/unit/test-json
tests_unit_test_json_SOURCES = tests/unit/test-json.c
tests_unit_test_json_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-json

# cpus/arm/disas.c loads capstone on first use: without it, a warning and socemu's own names.
check_PROGRAMS += tests/unit/test-arm-disas
tests_unit_test_arm_disas_SOURCES = tests/unit/test-arm-disas.c tests/arm/arm-harness.c tests/arm/arm-harness.h
tests_unit_test_arm_disas_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-arm-disas
