# core/chardev.mk
