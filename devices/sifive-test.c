/* devices/sifive-test.c — SiFive test finisher ("sifive,test0", "sifive,test1"), as on QEMU's
 * virt board: a 32-bit register at offset 0 the guest writes to end the run.
 *
 * Interface: one window; writes of (code << 16) | status to offset 0, where status is
 *   0x5555 PASS   -> exit status 0
 *   0x3333 FAIL   -> exit status code (1 when code is 0)
 *   0x7777 RESET  -> system reset
 * Other values are guest errors. Reads return 0. No irqs. */
#include "core/device.h"

enum { TEST_FAIL = 0x3333, TEST_PASS = 0x5555, TEST_RESET = 0x7777 };

static bool test_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	*value = 0;
	return true;
}

static bool test_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	SocDevice *dev = opaque;
	unsigned status = value & 0xffff, code = (value >> 16) & 0xffff;

	if (offset != 0) {
		soc_dev_guest_error(dev, "write to unknown offset 0x%" G_GINT64_MODIFIER "x", offset);
		return true;
	}
	switch (status) {
	case TEST_PASS:
		soc_dev_request_shutdown(dev, SOC_SHUTDOWN_EXIT, 0, "test finisher: pass");
		break;
	case TEST_FAIL: {
		g_autofree char *why = g_strdup_printf("test finisher: fail, code %u", code);
		soc_dev_request_shutdown(dev, SOC_SHUTDOWN_EXIT, code ? (int)code : 1, why);
		break;
	}
	case TEST_RESET:
		soc_dev_request_shutdown(dev, SOC_SHUTDOWN_RESET, 0, "test finisher: reset");
		break;
	default:
		soc_dev_guest_error(dev, "unknown command 0x%04x (expected 0x5555 pass, 0x3333 fail, 0x7777 reset)",
		                    status);
	}
	return true;
}

static const SocMmioOps test_ops = {
	.read = test_read, .write = test_write, .sizes = 2 | 4,   /* a 2-byte write carries the status alone */
};

const SocDeviceClass soc_sifive_test_class = {
	.name = "sifive-test",
	.compatible = (const char *const[]){ "sifive,test1", "sifive,test0", NULL },
	.description = "SiFive test finisher (exit status, reset)",
	.instance_size = sizeof(SocDevice),
	.mmio = &test_ops,
};
