/* core/irq.h — interrupt and other level signals.
 *
 * A signal is named "<node path>:<signal>" and carries a level (0 or 1). Outputs drive any
 * number of inputs; an input driven by several outputs sees their OR (wired-OR), and its
 * handler runs only when that OR changes. Connections are made by the core from the tree;
 * devices only set their outputs and react to their inputs. */
#ifndef SOC_IRQ_H
#define SOC_IRQ_H

#include <stdbool.h>

typedef struct SocIrq SocIrq;
typedef void (*SocIrqHandler)(void *opaque, unsigned n, int level);

SocIrq *soc_irq_new_output(const char *name);
SocIrq *soc_irq_new_input(const char *name, SocIrqHandler handler, void *opaque, unsigned n);
void soc_irq_free(SocIrq *irq);          /* disconnects it from every peer; NULL is fine */

/* Connect an output to an input (idempotent). The input immediately sees the output's level. */
void soc_irq_connect(SocIrq *output, SocIrq *input);
void soc_irq_set(SocIrq *output, int level);   /* any non-zero level is 1 */
static inline void soc_irq_raise(SocIrq *o) { soc_irq_set(o, 1); }
static inline void soc_irq_lower(SocIrq *o) { soc_irq_set(o, 0); }

int soc_irq_level(const SocIrq *irq);          /* an input reports the OR of its drivers */
const char *soc_irq_name(const SocIrq *irq);
bool soc_irq_is_input(const SocIrq *irq);
/* Peers of a signal (the inputs an output drives, or the outputs driving an input). */
unsigned soc_irq_peer_count(const SocIrq *irq);
const SocIrq *soc_irq_peer(const SocIrq *irq, unsigned i);

#endif
