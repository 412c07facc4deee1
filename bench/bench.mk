# bench/bench.mk — `make bench`: socemu side by side with QEMU on the project's own workloads
# (bench/run prints the tables that docs/PERFORMANCE.md keeps). It measures and asserts
# nothing, takes minutes, and is deliberately not part of `make check`.
# `make bench BENCH_FLAGS=--quick` checks in a few seconds that every part still works;
# `BENCH_FLAGS='--json bench.json'` also keeps every measurement.
SOC_BENCH_INTERPRETER = python3
BENCH_FLAGS =
EXTRA_DIST += bench/run bench/workloads/bench.h bench/workloads/arch-riscv.c \
	bench/workloads/arch-arm.c bench/workloads/hello.c bench/workloads/intmix.c \
	bench/workloads/memcopy.c bench/workloads/branchy.c bench/workloads/irq.c \
	bench/workloads/idle.c docs/PERFORMANCE.md
# The QEMU-virt-shaped RV32 board the benchmarks run RV32 images on (also a user board).
nobase_dist_pkgdata_DATA += dts/boards/riscv32-virt.dts

bench: socemu$(EXEEXT)
	$(SOC_BENCH_INTERPRETER) $(srcdir)/bench/run --socemu $(abs_builddir)/socemu$(EXEEXT) $(BENCH_FLAGS)
.PHONY: bench
