# devices/devices.mk
