# tests/fuzz/fuzz.mk — the fuzz targets, replayed over their saved corpora in `make check`.
# tools/fuzz builds the same targets with libFuzzer and sanitizers for a fuzzing campaign.
SOC_FUZZ_COMMON = tests/fuzz/fuzz.h tests/fuzz/fuzz-common.c tests/fuzz/replay.c
check_PROGRAMS += tests/fuzz/replay-tree tests/fuzz/replay-image tests/fuzz/replay-guest tests/fuzz/replay-set
tests_fuzz_replay_tree_SOURCES = tests/fuzz/fuzz-tree.c $(SOC_FUZZ_COMMON)
tests_fuzz_replay_tree_LDADD = $(SOC_UNIT_LIBS)
tests_fuzz_replay_image_SOURCES = tests/fuzz/fuzz-image.c $(SOC_FUZZ_COMMON)
tests_fuzz_replay_image_LDADD = $(SOC_UNIT_LIBS)
tests_fuzz_replay_guest_SOURCES = tests/fuzz/fuzz-guest.c $(SOC_FUZZ_COMMON)
tests_fuzz_replay_guest_LDADD = $(SOC_UNIT_LIBS)
tests_fuzz_replay_set_SOURCES = tests/fuzz/fuzz-set.c $(SOC_FUZZ_COMMON)
tests_fuzz_replay_set_LDADD = $(SOC_UNIT_LIBS)
TESTS += tests/fuzz/replay-tree tests/fuzz/replay-image tests/fuzz/replay-guest tests/fuzz/replay-set
EXTRA_DIST += tests/fuzz/corpus tools/fuzz
