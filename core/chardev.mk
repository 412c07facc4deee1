# core/chardev.mk
libsocemu_a_SOURCES += core/chardev.c core/chardev.h
