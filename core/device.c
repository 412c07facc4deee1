/* core/device.c — device instances: property tables, windows, signals and the services
 * models use (see device.h). */
#include "core/device-core.h"
#include "core/error.h"
#include "core/fdt.h"
#include "core/irq.h"
#include "core/log.h"
#include "core/machine.h"

#include <libfdt.h>
#include <string.h>

typedef struct {
	uint64_t offset;
	unsigned size;
	SocDevice *watcher;
	void (*fn)(SocDevice *dev, uint64_t offset, unsigned size, uint64_t value);
} WriteWatch;

/* Per window: the model's ops and the dispatcher's view of them. */
typedef struct {
	SocDevice *dev;
	unsigned index;
	SocMmioOps ops;          /* the dispatcher's ops, with the model's sizes */
	GArray *watches;         /* WriteWatch */
} WindowDispatch;

/* The core's bookkeeping for one instance. */
typedef struct SocDeviceCore {
	WindowDispatch *disp;    /* one per window */
	GPtrArray *owned;        /* trampolines and other allocations freed with the device */
	GPtrArray *timers;       /* SocTimer*, freed with the device */
} DeviceCore;

static DeviceCore *core_of(const SocDevice *dev)
{
	return dev->core;
}

static void *field(const SocDevice *dev, const SocPropDesc *p)
{
	return (uint8_t *)dev + p->offset;
}

static bool check_range(SocDevice *dev, const SocPropDesc *p, uint64_t v, GError **err)
{
	if (v < p->min || (p->max && v > p->max)) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
		            "%s:%s: value %" G_GUINT64_FORMAT " is out of range (%" G_GUINT64_FORMAT "..%"
		            G_GUINT64_FORMAT ") for %s", dev->path, p->name, v, p->min, p->max, dev->cls->name);
		return false;
	}
	return true;
}

static bool fill_prop(SocDevice *dev, const void *fdt, int node, const SocPropDesc *p, GError **err)
{
	int found = 0, len;
	uint32_t u32 = 0;
	uint64_t u64 = 0;
	const char *str = NULL;

	switch (p->type) {
	case SOC_PROP_TYPE_U32:
		found = soc_fdt_read_u32(fdt, node, p->name, &u32, err);
		if (found < 0)
			return false;
		if (!found)
			u32 = (uint32_t)p->def;
		if (found && !check_range(dev, p, u32, err))
			return false;
		*(uint32_t *)field(dev, p) = u32;
		break;
	case SOC_PROP_TYPE_U64:
		found = soc_fdt_read_u64(fdt, node, p->name, &u64, err);
		if (found < 0)
			return false;
		if (!found)
			u64 = p->def;
		if (found && !check_range(dev, p, u64, err))
			return false;
		*(uint64_t *)field(dev, p) = u64;
		break;
	case SOC_PROP_TYPE_BOOL:
		found = soc_fdt_prop(fdt, node, p->name, &len) != NULL;
		*(bool *)field(dev, p) = found ? true : p->def != 0;
		break;
	case SOC_PROP_TYPE_STRING:
		found = soc_fdt_read_string(fdt, node, p->name, &str, err);
		if (found < 0)
			return false;
		*(char **)field(dev, p) = g_strdup(found ? str : p->def_str);
		break;
	case SOC_PROP_TYPE_PHANDLE: {
		int target;
		found = soc_fdt_read_u32(fdt, node, p->name, &u32, err);
		if (found < 0)
			return false;
		if (found) {
			target = soc_fdt_node_by_phandle(fdt, u32, err);
			if (target < 0) {
				g_prefix_error(err, "%s:%s: ", dev->path, p->name);
				return false;
			}
			*(char **)field(dev, p) = soc_fdt_path(fdt, target);
		}
		break;
	}
	}
	if (p->track_present)
		*(bool *)((uint8_t *)dev + p->present_offset) = found > 0;
	if (!found && p->required) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY, "%s: required property '%s' is missing (%s)",
		            dev->path, p->name, dev->cls->name);
		return false;
	}
	return true;
}

SocDevice *soc_device_create(const SocDeviceClass *cls, SocMachine *m, const void *fdt, int node,
                             unsigned n_windows, const uint64_t *window_sizes, unsigned n_irqs,
                             GError **err)
{
	SocDevice *dev = g_malloc0(MAX(cls->instance_size, sizeof(SocDevice)));
	DeviceCore *core = g_new0(DeviceCore, 1);

	dev->cls = cls;
	dev->machine = m;
	dev->path = soc_fdt_path(fdt, node);
	dev->log = m ? soc_machine_log(m) : NULL;
	dev->events = m ? soc_machine_events(m) : NULL;
	dev->core = core;
	core->owned = g_ptr_array_new_with_free_func(g_free);
	core->timers = g_ptr_array_new_with_free_func((GDestroyNotify)soc_timer_free);

	dev->n_windows = n_windows;
	dev->windows = g_new0(SocDeviceWindow, MAX(n_windows, 1));
	core->disp = g_new0(WindowDispatch, MAX(n_windows, 1));
	for (unsigned i = 0; i < n_windows; i++) {
		dev->windows[i].size = window_sizes[i];
		dev->windows[i].kind = SOC_WIN_MMIO;
		dev->windows[i].ops = cls->mmio;
		dev->windows[i].opaque = dev;
		core->disp[i].dev = dev;
		core->disp[i].index = i;
		core->disp[i].watches = g_array_new(FALSE, FALSE, sizeof(WriteWatch));
	}

	dev->n_irq_out = MAX(n_irqs, cls->n_irq_outputs);
	dev->irq_out = g_new0(SocIrq *, MAX(dev->n_irq_out, 1));
	for (unsigned i = 0; i < dev->n_irq_out; i++) {
		g_autofree char *name = g_strdup_printf("%s:irq%u", dev->path, i);
		dev->irq_out[i] = soc_irq_new_output(name);
	}

	for (const SocPropDesc *p = cls->props; p && p->name; p++) {
		if (!fill_prop(dev, fdt, node, p, err)) {
			soc_device_free(dev);
			return NULL;
		}
	}
	return dev;
}

bool soc_device_realize(SocDevice *dev, GError **err)
{
	if (dev->cls->realize && !dev->cls->realize(dev, err))
		return false;
	for (unsigned i = 0; i < dev->n_windows; i++) {
		SocDeviceWindow *w = &dev->windows[i];
		if (w->kind == SOC_WIN_MMIO && !w->ops) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_FAILED,
			            "%s: model %s has no registers for reg entry %u", dev->path, dev->cls->name, i);
			return false;
		}
	}
	return true;
}

void soc_device_reset(SocDevice *dev)
{
	if (dev->cls->reset)
		dev->cls->reset(dev);
}

void soc_device_free(SocDevice *dev)
{
	DeviceCore *core;

	if (!dev)
		return;
	if (dev->cls->finalize)
		dev->cls->finalize(dev);
	for (const SocPropDesc *p = dev->cls->props; p && p->name; p++)
		if (p->type == SOC_PROP_TYPE_STRING || p->type == SOC_PROP_TYPE_PHANDLE)
			g_free(*(char **)field(dev, p));
	core = core_of(dev);
	if (core) {
		for (unsigned i = 0; i < dev->n_windows; i++)
			if (core->disp[i].watches)
				g_array_free(core->disp[i].watches, TRUE);
		g_free(core->disp);
		g_ptr_array_free(core->timers, TRUE);
		g_ptr_array_free(core->owned, TRUE);
		g_free(core);
	}
	for (unsigned i = 0; i < dev->n_windows; i++)
		if (dev->windows[i].ram)
			soc_ram_unref(dev->windows[i].ram);
	for (unsigned i = 0; i < dev->n_irq_out; i++)
		soc_irq_free(dev->irq_out[i]);
	for (unsigned i = 0; i < dev->n_irq_in; i++)
		soc_irq_free(dev->irq_in[i]);
	g_free(dev->irq_out);
	g_free(dev->irq_in);
	g_free(dev->windows);
	g_free(dev->path);
	g_free(dev);
}

/* ---- the dispatcher between address spaces and models ----------------------------------- */

static bool dispatch_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	WindowDispatch *d = opaque;
	SocDeviceWindow *w = &d->dev->windows[d->index];
	bool ok = w->ops->read ? w->ops->read(w->opaque, offset, size, value) : (*value = 0, true);

	soc_log(d->dev->log, SOC_LOG_MMIO, "mmio: %s[%u] read  %u @0x%" G_GINT64_MODIFIER "x -> 0x%"
	        G_GINT64_MODIFIER "x%s", d->dev->path, d->index, size, offset, *value, ok ? "" : " (error)");
	return ok;
}

static bool dispatch_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	WindowDispatch *d = opaque;
	SocDeviceWindow *w = &d->dev->windows[d->index];
	bool ok = w->ops->write ? w->ops->write(w->opaque, offset, size, value) : true;

	soc_log(d->dev->log, SOC_LOG_MMIO, "mmio: %s[%u] write %u @0x%" G_GINT64_MODIFIER "x <- 0x%"
	        G_GINT64_MODIFIER "x%s", d->dev->path, d->index, size, offset, value, ok ? "" : " (error)");
	for (guint i = 0; d->watches && i < d->watches->len; i++) {
		const WriteWatch *ww = &g_array_index(d->watches, WriteWatch, i);
		if (offset < ww->offset + ww->size && ww->offset < offset + size)
			ww->fn(ww->watcher, offset, size, value);
	}
	return ok;
}

const SocMmioOps *soc_device_window_ops(SocDevice *dev, unsigned i, void **opaque)
{
	WindowDispatch *d = &core_of(dev)->disp[i];
	const SocMmioOps *model = dev->windows[i].ops;

	d->ops.read = dispatch_read;
	d->ops.write = dispatch_write;
	d->ops.sizes = model->sizes;
	d->ops.unaligned = model->unaligned;
	*opaque = d;
	return &d->ops;
}

char *soc_device_prop_string(const SocDevice *dev, const SocPropDesc *p)
{
	switch (p->type) {
	case SOC_PROP_TYPE_U32:
		return g_strdup_printf("%u", *(uint32_t *)field(dev, p));
	case SOC_PROP_TYPE_U64:
		return g_strdup_printf("%" G_GUINT64_FORMAT, *(uint64_t *)field(dev, p));
	case SOC_PROP_TYPE_BOOL:
		return g_strdup(*(bool *)field(dev, p) ? "true" : "false");
	case SOC_PROP_TYPE_STRING:
	case SOC_PROP_TYPE_PHANDLE:
		return g_strdup(*(char **)field(dev, p));
	}
	return NULL;
}

/* ---- services for models ----------------------------------------------------------------- */

typedef struct {
	SocDevice *dev;
	void (*handler)(SocDevice *dev, unsigned n, int level);
} InputTrampoline;

static void input_trampoline(void *opaque, unsigned n, int level)
{
	InputTrampoline *t = opaque;
	soc_log(t->dev->log, SOC_LOG_IRQ, "irq: %s:in%u = %d", t->dev->path, n, level);
	t->handler(t->dev, n, level);
}

void soc_dev_init_irq_inputs(SocDevice *dev, unsigned count,
                             void (*handler)(SocDevice *dev, unsigned n, int level))
{
	InputTrampoline *t = g_new0(InputTrampoline, 1);

	g_return_if_fail(dev->n_irq_in == 0);
	t->dev = dev;
	t->handler = handler;
	g_ptr_array_add(core_of(dev)->owned, t);
	dev->n_irq_in = count;
	dev->irq_in = g_new0(SocIrq *, MAX(count, 1));
	for (unsigned i = 0; i < count; i++) {
		g_autofree char *name = g_strdup_printf("%s:in%u", dev->path, i);
		dev->irq_in[i] = soc_irq_new_input(name, input_trampoline, t, i);
	}
}

void soc_dev_set_window_ram(SocDevice *dev, unsigned index, SocRamBlock *block, bool read_only)
{
	g_return_if_fail(index < dev->n_windows);
	if (dev->windows[index].ram)
		soc_ram_unref(dev->windows[index].ram);
	dev->windows[index].kind = read_only ? SOC_WIN_ROM : SOC_WIN_RAM;
	dev->windows[index].ram = soc_ram_ref(block);
	dev->windows[index].ops = NULL;
}

void soc_dev_set_window_mmio(SocDevice *dev, unsigned index, const SocMmioOps *ops, void *opaque)
{
	g_return_if_fail(index < dev->n_windows);
	dev->windows[index].kind = SOC_WIN_MMIO;
	dev->windows[index].ops = ops;
	dev->windows[index].opaque = opaque;
}

SocTime soc_dev_now(const SocDevice *dev)
{
	return soc_events_now(dev->events);
}

bool soc_dev_clock_hz(SocDevice *dev, uint32_t prop, bool present, const char *clocks_path,
                      uint64_t *hz, GError **err)
{
	uint32_t f = prop;

	if (!present && clocks_path && dev->machine) {
		const void *fdt = soc_machine_fdt(dev->machine);
		int node = soc_fdt_path_offset(fdt, clocks_path);
		if (node < 0 || soc_fdt_read_u32(fdt, node, "clock-frequency", &f, NULL) <= 0)
			f = 0;
	}
	if (!f) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
		            "%s: no counting clock: needs clock-frequency, or clocks naming a fixed "
		            "clock with a non-zero clock-frequency", dev->path);
		return false;
	}
	*hz = f;
	return true;
}

uint64_t soc_dev_timebase_hz(const SocDevice *dev)
{
	return dev->machine ? soc_machine_timebase_hz(dev->machine) : 0;
}

uint64_t soc_dev_timebase_offset(const SocDevice *dev)
{
	return dev->machine ? soc_machine_timebase_offset(dev->machine) : 0;
}

void soc_dev_set_timebase_offset(SocDevice *dev, uint64_t offset)
{
	if (dev->machine)
		soc_machine_set_timebase_offset(dev->machine, offset);
}

typedef struct {
	SocDevice *dev;
	void (*fn)(SocDevice *dev);
} TimerTrampoline;

static void timer_trampoline(void *opaque)
{
	TimerTrampoline *t = opaque;
	t->fn(t->dev);
}

SocTimer *soc_dev_timer_new(SocDevice *dev, void (*fn)(SocDevice *dev))
{
	TimerTrampoline *t = g_new0(TimerTrampoline, 1);
	SocTimer *timer;
	t->dev = dev;
	t->fn = fn;
	g_ptr_array_add(core_of(dev)->owned, t);
	timer = soc_timer_new(dev->events, timer_trampoline, t);
	g_ptr_array_add(core_of(dev)->timers, timer);
	return timer;
}

void soc_dev_request_shutdown(SocDevice *dev, SocShutdownKind kind, int status, const char *reason)
{
	if (dev->machine)
		soc_machine_request_shutdown(dev->machine, kind, status, dev->path, reason);
}

bool soc_dev_watch_writes(SocDevice *dev, const char *peer_path, uint64_t offset, unsigned size,
                          void (*fn)(SocDevice *dev, uint64_t offset, unsigned size, uint64_t value),
                          GError **err)
{
	SocDevice *peer = dev->machine ? soc_machine_find_device(dev->machine, peer_path) : NULL;
	WriteWatch w = { offset, size, dev, fn };
	DeviceCore *core;

	if (!peer || peer->n_windows == 0 || peer->windows[0].kind != SOC_WIN_MMIO) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
		            "%s: %s has no modelled registers to watch", dev->path, peer_path);
		return false;
	}
	if (offset >= peer->windows[0].size || size > peer->windows[0].size - offset) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
		            "%s: offset 0x%" G_GINT64_MODIFIER "x is outside %s's registers (0x%" G_GINT64_MODIFIER "x bytes)",
		            dev->path, offset, peer_path, peer->windows[0].size);
		return false;
	}
	core = core_of(peer);
	g_array_append_val(core->disp[0].watches, w);
	return true;
}

static void dev_log(SocDevice *dev, SocLogCategory c, const char *fmt, va_list ap)
{
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	soc_log(dev->log, c, "%s: %s", dev->path, msg);
}

void soc_dev_guest_error(SocDevice *dev, const char *fmt, ...)
{
	va_list ap;
	soc_log_count_guest_error(dev->log);
	va_start(ap, fmt);
	dev_log(dev, SOC_LOG_GUEST_ERROR, fmt, ap);
	va_end(ap);
}

void soc_dev_unimp(SocDevice *dev, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dev_log(dev, SOC_LOG_UNIMP, fmt, ap);
	va_end(ap);
}
