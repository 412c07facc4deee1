# core/core.mk — the machine core (see ARCHITECTURE.md "Layout").
libsocemu_a_SOURCES += \
	core/error.c core/error.h \
	core/log.c core/log.h \
	core/vtime.c core/vtime.h \
	core/irq.c core/irq.h \
	core/memory.c core/memory.h
