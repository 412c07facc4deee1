/* core/irq.c — level signals, many-to-many (see irq.h).
 *
 * An input keeps a count of its drivers that are high, so wired-OR costs O(1) per change and
 * its handler runs only on a change of the OR. Propagation is direct (no queue): handlers may
 * set other outputs; a depth guard turns an accidental loop into a no-op instead of a crash. */
#include "core/irq.h"

#include <glib.h>

#define IRQ_MAX_DEPTH 64

struct SocIrq {
	char *name;
	bool is_input;
	int level;                  /* output: its own level; input: OR of drivers */
	unsigned high_drivers;      /* input only */
	SocIrqHandler handler;
	void *opaque;
	unsigned n;
	GPtrArray *peers;           /* output: inputs it drives; input: outputs driving it */
	unsigned depth;             /* re-entrancy guard for set() */
};

static SocIrq *irq_new(const char *name, bool input)
{
	SocIrq *irq = g_new0(SocIrq, 1);
	irq->name = g_strdup(name);
	irq->is_input = input;
	irq->peers = g_ptr_array_new();
	return irq;
}

SocIrq *soc_irq_new_output(const char *name)
{
	return irq_new(name, false);
}

SocIrq *soc_irq_new_input(const char *name, SocIrqHandler handler, void *opaque, unsigned n)
{
	SocIrq *irq = irq_new(name, true);
	irq->handler = handler;
	irq->opaque = opaque;
	irq->n = n;
	return irq;
}

static void input_driver_changed(SocIrq *in, int driver_level)
{
	int old = in->level;
	if (driver_level)
		in->high_drivers++;
	else if (in->high_drivers > 0)
		in->high_drivers--;
	in->level = in->high_drivers > 0;
	if (in->level != old && in->handler)
		in->handler(in->opaque, in->n, in->level);
}

void soc_irq_connect(SocIrq *output, SocIrq *input)
{
	g_return_if_fail(output && input && !output->is_input && input->is_input);
	for (guint i = 0; i < output->peers->len; i++)
		if (output->peers->pdata[i] == input)
			return;
	g_ptr_array_add(output->peers, input);
	g_ptr_array_add(input->peers, output);
	if (output->level)
		input_driver_changed(input, 1);
}

void soc_irq_set(SocIrq *output, int level)
{
	if (!output)
		return;
	level = level != 0;
	if (output->level == level || output->depth >= IRQ_MAX_DEPTH)
		return;
	output->level = level;
	output->depth++;
	for (guint i = 0; i < output->peers->len; i++)
		input_driver_changed(output->peers->pdata[i], level);
	output->depth--;
}

void soc_irq_free(SocIrq *irq)
{
	if (!irq)
		return;
	for (guint i = 0; i < irq->peers->len; i++) {
		SocIrq *peer = irq->peers->pdata[i];
		g_ptr_array_remove(peer->peers, irq);
		if (!irq->is_input && irq->level && peer->high_drivers > 0) {
			peer->high_drivers--;
			peer->level = peer->high_drivers > 0;
		}
	}
	g_ptr_array_free(irq->peers, TRUE);
	g_free(irq->name);
	g_free(irq);
}

int soc_irq_level(const SocIrq *irq)
{
	return irq->level;
}

const char *soc_irq_name(const SocIrq *irq)
{
	return irq->name;
}

bool soc_irq_is_input(const SocIrq *irq)
{
	return irq->is_input;
}

unsigned soc_irq_peer_count(const SocIrq *irq)
{
	return irq->peers->len;
}

const SocIrq *soc_irq_peer(const SocIrq *irq, unsigned i)
{
	return i < irq->peers->len ? irq->peers->pdata[i] : NULL;
}
