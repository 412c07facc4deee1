# cpus/cpus.mk
