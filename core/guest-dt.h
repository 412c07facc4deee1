/* core/guest-dt.h — the device tree a guest sees.
 *
 * A cluster node (or /cpus) with `socemu,guest-dtb-address = <address>` gets a copy of the
 * machine tree placed at that address of its own view, for its firmware to read (RISC-V: the
 * address is in a1 at reset, as boot loaders pass it). Emulator-only properties (the
 * `socemu,` prefix) are removed from the copy. The copy describes the system as the root bus
 * sees it: a cluster with an address-map sees its devices elsewhere, and its firmware must
 * know that (see the issue notes: rewriting reg per cluster is not done). */
#ifndef SOC_GUEST_DT_H
#define SOC_GUEST_DT_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

/* A packed copy of fdt without socemu,* properties (g_free it). */
void *soc_guest_dt_build(const void *fdt, size_t *len, GError **err);

#endif
