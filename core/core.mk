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
	core/command.c core/command.h
socemu_LDADD += -lm
