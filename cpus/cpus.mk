# cpus/cpus.mk
libsocemu_a_SOURCES += cpus/registry.c cpus/cpu.h
