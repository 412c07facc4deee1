/* core/error.c — the GError domain (see error.h). */
#include "core/error.h"

G_DEFINE_QUARK(socemu-error-quark, soc_error)
