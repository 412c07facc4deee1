/* core/device-core.h — what the core (machine.c) uses to manage device instances;
 * models use only core/device.h. */
#ifndef SOC_DEVICE_CORE_H
#define SOC_DEVICE_CORE_H

#include "core/device.h"

/* Allocate an instance of cls for the node and fill its property table from the node.
 * n_windows comes from the node's reg; n_irqs from its interrupts. */
SocDevice *soc_device_create(const SocDeviceClass *cls, SocMachine *m, const void *fdt, int node,
                             unsigned n_windows, const uint64_t *window_sizes, unsigned n_irqs,
                             GError **err);
bool soc_device_realize(SocDevice *dev, GError **err);
void soc_device_reset(SocDevice *dev);
void soc_device_free(SocDevice *dev);

/* The ops/opaque the core maps for window i: a dispatcher that enforces sizes, traces and
 * runs write watchers around the model's own ops. */
const SocMmioOps *soc_device_window_ops(SocDevice *dev, unsigned i, void **opaque);

/* The string form of a device property's value (for the report); NULL when unset. */
char *soc_device_prop_string(const SocDevice *dev, const SocPropDesc *p);

#endif
