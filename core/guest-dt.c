/* core/guest-dt.c — the guest's copy of the tree (see guest-dt.h). */
#include "core/guest-dt.h"
#include "core/error.h"

#include <libfdt.h>
#include <string.h>

/* Remove every socemu,* property of one node. Deleting shifts the property list, so the
 * walk starts again after each deletion. */
static int strip_node(void *fdt, int node)
{
	for (;;) {
		int prop, found = 0;
		const char *victim = NULL;
		fdt_for_each_property_offset(prop, fdt, node) {
			const char *name;
			if (!fdt_getprop_by_offset(fdt, prop, &name, NULL))
				return -FDT_ERR_BADSTRUCTURE;
			if (!strncmp(name, "socemu,", 7)) {
				victim = name;
				found = 1;
				break;
			}
		}
		if (!found)
			return 0;
		{
			char copy[256];
			int rc;
			g_strlcpy(copy, victim, sizeof(copy));
			rc = fdt_delprop(fdt, node, copy);
			if (rc < 0)
				return rc;
		}
	}
}

void *soc_guest_dt_build(const void *fdt, size_t *len, GError **err)
{
	size_t size = fdt_totalsize(fdt);
	void *copy = g_malloc(size);
	int node, depth = 0, rc = fdt_open_into(fdt, copy, (int)size);

	for (node = 0; rc >= 0 && node >= 0; node = fdt_next_node(copy, node, &depth))
		rc = strip_node(copy, node);
	if (rc >= 0 || rc == -FDT_ERR_NOTFOUND)
		rc = fdt_pack(copy);
	if (rc < 0) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_BLOB, "guest tree: %s", fdt_strerror(rc));
		g_free(copy);
		return NULL;
	}
	*len = fdt_totalsize(copy);
	return copy;
}
