/* core/fdt-addr.c — reg parsing and address translation through `ranges` (of_address
 * semantics, see fdt.h). Addresses are held as uint64_t: a 3-cell address is accepted only
 * when its top cell is zero, so no value is ever truncated silently. */
#include "core/fdt.h"

#include <inttypes.h>

/* Bits of an address space with na cells: 32 for one cell, else 64 (values are limited to
 * 64 bits, see soc_fdt_cells_to_u64). */
static unsigned space_bits(int na)
{
	return na == 1 ? 32 : 64;
}

/* Whether [base, base + size) lies inside an na-cell address space; size 0 only needs base
 * to be representable. */
static bool region_fits(uint64_t base, uint64_t size, int na)
{
	uint64_t last = space_bits(na) == 32 ? UINT32_MAX : UINT64_MAX;
	if (base > last)
		return false;
	return size == 0 || size - 1 <= last - base;
}

/* Cells of a node's reg: its parent bus's #address-cells and #size-cells. */
static bool reg_cells(const void *fdt, int node, int *parent, int *na, int *ns, GError **err)
{
	*parent = soc_fdt_parent(fdt, node);
	if (*parent < 0) {
		soc_fdt_set_error(err, SOC_ERROR_TREE, fdt, node,
		                  "reg on the root node (it has no parent bus)");
		return false;
	}
	*na = soc_fdt_address_cells(fdt, *parent, err);
	if (*na >= 0)
		*ns = soc_fdt_size_cells(fdt, *parent, err);
	if (*na < 0 || *ns < 0) {
		soc_fdt_prefix_error(err, fdt, node, "reg: ");
		return false;
	}
	return true;
}

int soc_fdt_reg_count(const void *fdt, int node, GError **err)
{
	int len;
	const void *v = soc_fdt_prop(fdt, node, "reg", &len);
	if (!v)
		return 0;
	int parent, na, ns;
	if (!reg_cells(fdt, node, &parent, &na, &ns, err))
		return -1;
	if (len % 4) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
		                  "reg is %d bytes long, not a whole number of cells", len);
		return -1;
	}
	int cells = len / 4, per = na + ns;
	if (cells % per) {
		char *ppath = soc_fdt_path(fdt, parent);
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
		                  "reg has %d cells, expected a multiple of %d "
		                  "(#address-cells %d + #size-cells %d of %s)",
		                  cells, per, na, ns, ppath);
		g_free(ppath);
		return -1;
	}
	return cells / per;
}

bool soc_fdt_reg(const void *fdt, int node, int index, uint64_t *addr, uint64_t *size,
                 GError **err)
{
	int count = soc_fdt_reg_count(fdt, node, err);
	if (count < 0)
		return false;
	if (!soc_fdt_node_valid(fdt, node)) {
		soc_fdt_set_error(err, SOC_ERROR_TREE, NULL, -1, "invalid node offset %d", node);
		return false;
	}
	if (index < 0 || index >= count) {
		if (count == 0)
			soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node, "no reg");
		else
			soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
			                  "reg has %d entries, no entry %d", count, index);
		return false;
	}
	int parent, na, ns;
	if (!reg_cells(fdt, node, &parent, &na, &ns, err))
		return false;
	const uint8_t *v = soc_fdt_prop(fdt, node, "reg", NULL);
	const uint8_t *entry = v + (size_t)index * (size_t)(na + ns) * 4;
	uint64_t a, s;
	if (!soc_fdt_cells_to_u64(entry, na, &a)) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
		                  "reg entry %d: the address needs more than 64 bits", index);
		return false;
	}
	soc_fdt_cells_to_u64(entry + na * 4, ns, &s);
	if (!region_fits(a, s, na)) {
		char *ppath = soc_fdt_path(fdt, parent);
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
		                  "reg entry %d (0x%" PRIx64 " size 0x%" PRIx64 ") runs past the end "
		                  "of the %u-bit address space of %s",
		                  index, a, s, space_bits(na), ppath);
		g_free(ppath);
		return false;
	}
	*addr = a;
	if (size)
		*size = s;
	return true;
}

/* One level up: `*a`, an address on bus (na cells), becomes an address on bus's parent
 * through bus's ranges; *na becomes the parent's #address-cells. */
static bool translate_one(const void *fdt, int bus, int parent, uint64_t *a, int *na,
                          GError **err)
{
	int ns = soc_fdt_size_cells(fdt, bus, err);
	if (ns < 0)
		return false;
	int pna = soc_fdt_address_cells(fdt, parent, err);
	if (pna < 0)
		return false;
	int len;
	const uint8_t *r = soc_fdt_prop(fdt, bus, "ranges", &len);
	if (!r) {
		char *ppath = soc_fdt_path(fdt, parent);
		soc_fdt_set_error(err, SOC_ERROR_TREE, fdt, bus,
		                  "no ranges, so the addresses of its children are not translatable "
		                  "to %s", ppath);
		g_free(ppath);
		return false;
	}
	if (len == 0) {
		if (!region_fits(*a, 0, pna)) {
			char *ppath = soc_fdt_path(fdt, parent);
			soc_fdt_set_error(err, SOC_ERROR_TREE, fdt, bus,
			                  "address 0x%" PRIx64 " (empty ranges: identity) does not fit "
			                  "the %u-bit address space of %s",
			                  *a, space_bits(pna), ppath);
			g_free(ppath);
			return false;
		}
		*na = pna;
		return true;
	}
	if (len % 4) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, bus,
		                  "ranges is %d bytes long, not a whole number of cells", len);
		return false;
	}
	int cells = len / 4, per = *na + pna + ns;
	if (cells % per) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, bus,
		                  "ranges has %d cells, expected a multiple of %d (%d child-address "
		                  "+ %d parent-address + %d size cells)", cells, per, *na, pna, ns);
		return false;
	}
	/* Every entry is checked, not just the one that matches: a malformed ranges is wrong
	 * whatever address happens to be translated through it. */
	int found = -1;
	uint64_t result = 0;
	for (int i = 0; i < cells / per; i++) {
		const uint8_t *e = r + (size_t)i * per * 4;
		uint64_t cp, pp, s;
		bool cok = soc_fdt_cells_to_u64(e, *na, &cp);
		bool pok = soc_fdt_cells_to_u64(e + *na * 4, pna, &pp);
		soc_fdt_cells_to_u64(e + (*na + pna) * 4, ns, &s);
		if (!cok || !pok) {
			soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, bus,
			                  "ranges entry %d: the %s address needs more than 64 bits", i,
			                  cok ? "parent" : "child");
			return false;
		}
		if (!region_fits(cp, s, *na) || !region_fits(pp, s, pna)) {
			bool child = !region_fits(cp, s, *na);
			soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, bus,
			                  "ranges entry %d: the %s window 0x%" PRIx64 " size 0x%" PRIx64
			                  " runs past the end of its %u-bit address space", i,
			                  child ? "child" : "parent", child ? cp : pp, s,
			                  space_bits(child ? *na : pna));
			return false;
		}
		/* As Linux (da < cp || da >= cp + s: no match), written so it cannot wrap. */
		if (found < 0 && s != 0 && *a >= cp && *a - cp < s) {
			found = i;
			result = pp + (*a - cp);
		}
	}
	if (found < 0) {
		soc_fdt_set_error(err, SOC_ERROR_TREE, fdt, bus,
		                  "no ranges entry covers address 0x%" PRIx64, *a);
		return false;
	}
	*a = result;
	*na = pna;
	return true;
}

bool soc_fdt_translate(const void *fdt, int bus, uint64_t addr, int upto, uint64_t *out,
                       GError **err)
{
	if (!soc_fdt_node_valid(fdt, bus) || !soc_fdt_node_valid(fdt, upto)) {
		soc_fdt_set_error(err, SOC_ERROR_TREE, NULL, -1, "invalid node offset %d",
		                  soc_fdt_node_valid(fdt, bus) ? upto : bus);
		return false;
	}
	int na = soc_fdt_address_cells(fdt, bus, err);
	if (na < 0)
		return false;
	if (!region_fits(addr, 0, na)) {
		soc_fdt_set_error(err, SOC_ERROR_TREE, fdt, bus,
		                  "address 0x%" PRIx64 " does not fit its %u-bit address space",
		                  addr, space_bits(na));
		return false;
	}
	uint64_t a = addr;
	/* The walk goes strictly up, so it ends at the root at the latest. */
	for (int cur = bus; cur != upto; ) {
		int parent = soc_fdt_parent(fdt, cur);
		if (parent < 0) {
			char *upath = soc_fdt_path(fdt, upto);
			soc_fdt_set_error(err, SOC_ERROR_TREE, fdt, bus,
			                  "%s is not this node or one of its ancestors", upath);
			g_free(upath);
			return false;
		}
		if (!translate_one(fdt, cur, parent, &a, &na, err))
			return false;
		cur = parent;
	}
	*out = a;
	return true;
}

bool soc_fdt_reg_translated(const void *fdt, int node, int index, uint64_t *root_addr,
                            uint64_t *size, GError **err)
{
	uint64_t a, s;
	if (!soc_fdt_reg(fdt, node, index, &a, &s, err))
		return false;
	if (!soc_fdt_translate(fdt, soc_fdt_parent(fdt, node), a, 0, root_addr, err)) {
		soc_fdt_prefix_error(err, fdt, node, "reg entry %d (0x%" PRIx64 "): ", index, a);
		return false;
	}
	if (size)
		*size = s;
	return true;
}

bool soc_fdt_reg_translatable(const void *fdt, int node, GError **err)
{
	if (!soc_fdt_node_valid(fdt, node)) {
		soc_fdt_set_error(err, SOC_ERROR_TREE, NULL, -1, "invalid node offset %d", node);
		return false;
	}
	for (int bus = soc_fdt_parent(fdt, node); bus > 0; bus = soc_fdt_parent(fdt, bus)) {
		if (!soc_fdt_has_prop(fdt, bus, "ranges")) {
			char *bpath = soc_fdt_path(fdt, bus);
			soc_fdt_set_error(err, SOC_ERROR_TREE, fdt, node,
			                  "reg is not translatable: %s has no ranges", bpath);
			g_free(bpath);
			return false;
		}
	}
	return true;
}
