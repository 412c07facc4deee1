# devices/devices.mk — device models, one file each, and the registry table.
libsocemu_a_SOURCES += \
	devices/registry.c \
	devices/memory.c \
	devices/ns16550a.c \
	devices/sifive-test.c \
	devices/syscon.c \
	devices/syscon-power.c
