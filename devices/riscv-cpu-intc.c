/* devices/riscv-cpu-intc.c — the RISC-V hart-local interrupt controller ("riscv,cpu-intc";
 * Linux binding interrupt-controller/riscv,cpu-intc.yaml).
 *
 * Interface: no registers. The node is the child of a cpu node; #interrupt-cells = 1, the
 * cell is the bit of mip the line drives (its exception cause): 1 SSIP, 3 MSIP, 5 STIP,
 * 7 MTIP, 9 SEIP, 11 MEIP, ... up to 15.
 *   inputs  in0..in15   one per mip bit; in16 takes the specifier 0xffffffff, which Linux
 *                       trees use for a PLIC context that is not wired (fu540-c000.dtsi):
 *                       it is connected to nothing
 *   outputs irq0..irq15 irq<i> follows in<i>; the core connects it to the parent cpu's
 *                       input "irq<i>" (drives_parent_cpu)
 * The controller only routes levels: the hart's mip/mie/mideleg logic is the CPU's. */
#include "core/device.h"
#include "core/error.h"
#include "core/irq.h"

#define INTC_LINES 16
#define INTC_UNWIRED 0xffffffffu      /* "not connected" placeholder specifier */

static void intc_input(SocDevice *dev, unsigned n, int level)
{
	if (n < INTC_LINES)
		soc_irq_set(dev->irq_out[n], level);
}

static bool intc_realize(SocDevice *dev, GError **err)
{
	soc_dev_init_irq_inputs(dev, INTC_LINES + 1, intc_input);
	return true;
}

static void intc_reset(SocDevice *dev)
{
	/* Levels are not state: the outputs keep following whatever drives the inputs. */
	for (unsigned i = 0; i < INTC_LINES; i++)
		soc_irq_set(dev->irq_out[i], soc_irq_level(dev->irq_in[i]));
}

static bool intc_xlate(SocDevice *dev, const uint32_t *cells, unsigned ncells, unsigned *input,
                       GError **err)
{
	if (ncells != 1) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE, "%s: specifier has %u cells, expected 1",
		            dev->path, ncells);
		return false;
	}
	if (cells[0] == INTC_UNWIRED) {
		*input = INTC_LINES;
		return true;
	}
	if (cells[0] >= INTC_LINES) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
		            "%s: interrupt %u is not a local interrupt (mip bits 0..%u, or 0xffffffff "
		            "for an unwired context)", dev->path, cells[0], INTC_LINES - 1);
		return false;
	}
	*input = cells[0];
	return true;
}

const SocDeviceClass soc_riscv_cpu_intc_class = {
	.name = "riscv-cpu-intc",
	.compatible = (const char *const[]){ "riscv,cpu-intc", NULL },
	.description = "RISC-V hart-local interrupt controller (mip bits 0..15)",
	.instance_size = sizeof(SocDevice),
	.n_irq_outputs = INTC_LINES,
	.interrupt_cells = 1,
	.drives_parent_cpu = true,
	.realize = intc_realize,
	.reset = intc_reset,
	.irq_xlate = intc_xlate,
};
