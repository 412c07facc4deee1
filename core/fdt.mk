# core/fdt.mk
