# core/chardev.mk — character backends (stdio, null, file, unix and tcp servers) and their test.
libsocemu_a_SOURCES += core/chardev.c core/chardev.h

check_PROGRAMS += tests/unit/test-chardev
tests_unit_test_chardev_SOURCES = tests/unit/test-chardev.c
# openpty() for the tty tests lives in libutil.
tests_unit_test_chardev_LDADD = $(SOC_UNIT_LIBS) -lutil
TESTS += tests/unit/test-chardev
