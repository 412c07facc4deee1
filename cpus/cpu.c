/* cpus/cpu.c — the parts of the CPU interface shared by every model (see cpu.h). */
#include "cpus/cpu.h"
#include "core/irq.h"

void soc_cpu_init_common(SocCpu *cpu, const SocCpuClass *cls, const SocCpuConfig *cfg)
{
	cpu->cls = cls;
	cpu->path = g_strdup(cfg->path);
	cpu->cluster = g_strdup(cfg->cluster);
	cpu->clock_hz = cfg->clock_hz;
	cpu->as = cfg->as;
	cpu->events = cfg->events;
	cpu->log = cfg->log;
	cpu->machine = cfg->machine;
	cpu->state = SOC_CPU_HALTED;
	cpu->stop_reason = NULL;
	cpu->insns = 0;
	cpu->stop_at = 0;
	cpu->sleep_cycles = 0;
	cpu->irq_in = NULL;
	cpu->n_irq_in = 0;
}

void soc_cpu_destroy_common(SocCpu *cpu)
{
	for (unsigned i = 0; i < cpu->n_irq_in; i++)
		soc_irq_free(cpu->irq_in[i]);
	g_free(cpu->irq_in);
	cpu->irq_in = NULL;
	cpu->n_irq_in = 0;
	g_free(cpu->stop_reason);
	cpu->stop_reason = NULL;
	g_free(cpu->path);
	cpu->path = NULL;
	g_free(cpu->cluster);
	cpu->cluster = NULL;
}

SocTime soc_cpu_local_time(const SocCpu *cpu)
{
	/* A clock of 0 Hz never advances (the machine gives every cpu a default clock). */
	if (!cpu->clock_hz)
		return 0;
	return soc_cycles_to_time(cpu->insns + cpu->sleep_cycles, cpu->clock_hz);
}
