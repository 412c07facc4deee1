# core/tree.mk — the tree input layer: .dts/.dtb loading, overlays, -set, source locations.
libsocemu_a_SOURCES += core/tree.c core/tree.h core/tree-cache.c core/tree-cache.h

check_PROGRAMS += tests/unit/test-tree
tests_unit_test_tree_SOURCES = tests/unit/test-tree.c
tests_unit_test_tree_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/unit/test-tree
EXTRA_DIST += \
	tests/data/tree/board.dts \
	tests/data/tree/include/soc.dtsi \
	tests/data/tree/include/soc-defs.h \
	tests/data/tree/by-label.dtso \
	tests/data/tree/by-path.dtso \
	tests/data/tree/plain.dtso \
	tests/data/tree/missing-label.dtso \
	tests/data/tree/missing-path.dtso \
	tests/data/tree/make-bad-dtb.sh \
	tests/data/bad-syntax.dts \
	tests/data/bad-include.dts \
	tests/data/bad-reference.dts
