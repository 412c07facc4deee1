# core/core.mk — the machine core (see ARCHITECTURE.md "Layout").
libsocemu_a_SOURCES += \
	core/error.c core/error.h \
	core/log.c core/log.h \
	core/vtime.c core/vtime.h \
	core/irq.c core/irq.h \
	core/memory.c core/memory.h
libsocemu_a_SOURCES += \
	core/device.c core/device.h core/device-core.h \
	core/machine.c core/machine.h core/machine-core.h \
	core/report.c
libsocemu_a_SOURCES += \
	core/sched.c core/sched.h \
	core/loader.c core/loader.h
libsocemu_a_SOURCES += \
	core/command.c core/command.h \
	core/json.c core/json.h
socemu_LDADD += -lm

check_PROGRAMS += tests/unit/test-memory tests/unit/test-signals-time
tests_unit_test_memory_SOURCES = tests/unit/test-memory.c
tests_unit_test_memory_LDADD = $(SOC_UNIT_LIBS)
tests_unit_test_signals_time_SOURCES = tests/unit/test-signals-time.c
tests_unit_test_signals_time_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-memory tests/unit/test-signals-time
libsocemu_a_SOURCES += core/semihost.c core/semihost.h core/guest-dt.c core/guest-dt.h
check_PROGRAMS += tests/unit/test-semihost
tests_unit_test_semihost_SOURCES = tests/unit/test-semihost.c
tests_unit_test_semihost_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-semihost
check_PROGRAMS += tests/unit/test-guest-dt
tests_unit_test_guest_dt_SOURCES = tests/unit/test-guest-dt.c
tests_unit_test_guest_dt_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-guest-dt
check_PROGRAMS += tests/unit/test-log
tests_unit_test_log_SOURCES = tests/unit/test-log.c
tests_unit_test_log_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-log
