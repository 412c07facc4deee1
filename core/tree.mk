# core/tree.mk
