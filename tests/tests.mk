# tests/tests.mk
