/* core/chardev.h — character backends: where a UART's bytes go and where its input comes from.
 *
 * A backend is chosen by a spec string:
 *   "stdio"                   stdout / stdin (raw tty with a Ctrl-A escape when stdin is a tty)
 *   "stdout"                  output to stdout, no input; several UARTs may share it
 *   "null"                    output discarded, no input
 *   "file:PATH[,in=INPATH]"   output truncates and writes PATH; optional input read from INPATH
 *   "unix:PATH[,wait]"        server on a Unix socket, one client at a time
 *   "tcp:HOST:PORT[,wait]"    server on a loopback address only; PORT 0 picks a free port
 * A ',' inside a path is written ",,".
 *
 * Determinism (ARCHITECTURE invariant 3): host input is read by GLib sources attached to the
 * machine's GMainContext into a bounded per-backend buffer, and handed to the device only from
 * those sources' callbacks, that is between quanta, never more than the device's can_receive()
 * allows. While the buffer is full the backend stops polling its input (back-pressure: nothing
 * is lost, and a blocked machine waits at 0 % CPU). A device whose FIFO frees up calls
 * soc_chardev_accept_input(); delivery then resumes at the next iteration of the context.
 *
 * Output: stdio and file write everything before returning (they block while the host reader
 * is slow, as any program writing stdout does). Sockets never block: without a client the bytes
 * are dropped as on an unconnected serial line (not counted); with a client they are queued (at
 * most SOC_CHARDEV_OUTPUT_MAX bytes) and flushed from the context; beyond that they are dropped,
 * counted, with a warning on stderr.
 *
 * Everything runs on the thread that iterates the context. */
#ifndef SOC_CHARDEV_H
#define SOC_CHARDEV_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SOC_CHARDEV_INPUT_MAX  4096u               /* host input buffered per backend */
#define SOC_CHARDEV_OUTPUT_MAX (1024u * 1024u)     /* output queued for a slow socket client */

typedef struct SocChardev SocChardev;

/* What the machine provides. */
typedef struct SocChardevHost {
	GMainContext *ctx;            /* where the backend's sources live; NULL: the default context */
	void (*quit)(void *opaque);   /* stdio's Ctrl-A x; NULL: the escape does nothing */
	void *opaque;
} SocChardevHost;

/* How many bytes the device can take now (its FIFO space). */
typedef size_t (*SocChardevCanReceive)(void *opaque);
/* len bytes for the device; len never exceeds what can_receive() just returned. */
typedef void (*SocChardevReceive)(void *opaque, const uint8_t *buf, size_t len);

/* Never blocks (",wait" is honoured by soc_chardev_wait_for_client). Errors: SOC_ERROR_USAGE
 * for a malformed spec, SOC_ERROR_IO when a host file or socket cannot be used; the message
 * starts with 'chardev "SPEC":'. Only one "stdio" backend may be open at a time. */
SocChardev *soc_chardev_open(const char *spec, const SocChardevHost *host, GError **err);
/* For a socket opened with ",wait": iterate the context until a client has connected. Call it
 * after printing soc_chardev_describe() so that the user knows where to connect. Returns
 * immediately for every other backend. Fails only when the stdio escape asked to quit
 * meanwhile. */
bool soc_chardev_wait_for_client(SocChardev *c, GError **err);
/* Flushes output (a socket client gets up to a second), restores the tty, removes the Unix
 * socket. NULL is fine. The quit callback must not close a backend from inside itself. */
void soc_chardev_close(SocChardev *c);

/* Guest output. Never fails: a broken output is reported once on stderr and counted. */
void soc_chardev_write(SocChardev *c, const uint8_t *buf, size_t len);
/* The device side. can_receive NULL means "always ready". Input that arrived earlier is
 * delivered at the next iteration of the context. receive NULL detaches (input is buffered). */
void soc_chardev_set_receiver(SocChardev *c, SocChardevCanReceive can_receive,
                              SocChardevReceive receive, void *opaque);
/* The device's FIFO has room again. Safe to call during a quantum: it delivers nothing itself,
 * it only schedules delivery for the next iteration of the context. */
void soc_chardev_accept_input(SocChardev *c);
/* Input buffered and not yet delivered. */
bool soc_chardev_has_pending_input(const SocChardev *c);
/* Whether the device may still get a byte: it has room for one, and there is input pending,
 * an input that has not reached its end (stdin, a file's in=) or a socket. False for null and
 * output-only backends, an input at EOF and a device that cannot take more, so that a machine
 * asleep and waiting only on those is known to be stuck. */
bool soc_chardev_input_possible(const SocChardev *c);

/* Where the backend is, for the user: "stdio", "null", "file:PATH", "unix:PATH",
 * "tcp:127.0.0.1:40123" (the real port when 0 was asked for). */
const char *soc_chardev_describe(const SocChardev *c);
/* Sockets: a client is connected. Other backends: always true. */
bool soc_chardev_is_connected(const SocChardev *c);
/* Output bytes dropped because a socket client was too slow or the output broke. */
uint64_t soc_chardev_dropped_bytes(const SocChardev *c);

/* Put `prefix` (e.g. "[rt] ") before every line of output, to tell several consoles apart on
 * one terminal. NULL or "" turns it off. */
void soc_chardev_set_line_prefix(SocChardev *c, const char *prefix);

/* Multi-line description of the spec syntax, for "-serial help". */
const char *soc_chardev_help(void);

#endif
