/* core/error.h — socemu's GError domain.
 *
 * Every failure a user can cause (a bad tree, a bad option, a bad image) is reported as a
 * GError in this domain; its message names where the problem came from (node path, and
 * file:line when the input was a .dts). Library code never exits or prints to stdout. */
#ifndef SOC_ERROR_H
#define SOC_ERROR_H

#include <glib.h>

#define SOC_ERROR (soc_error_quark())
GQuark soc_error_quark(void);

typedef enum {
	SOC_ERROR_FAILED,      /* anything not listed below */
	SOC_ERROR_IO,          /* a host file or socket could not be used */
	SOC_ERROR_BLOB,        /* a flattened tree is malformed (fdt_check_full, truncation) */
	SOC_ERROR_DTS,         /* cpp or dtc rejected a source */
	SOC_ERROR_TREE,        /* the tree is well-formed but its content is wrong */
	SOC_ERROR_PROPERTY,    /* a property has the wrong length or value */
	SOC_ERROR_PHANDLE,     /* a phandle does not resolve, or phandles form a cycle */
	SOC_ERROR_OVERLAP,     /* two windows of one address space overlap */
	SOC_ERROR_IMAGE,       /* an image cannot be loaded */
	SOC_ERROR_USAGE,       /* a command-line or protocol argument is wrong */
	SOC_ERROR_UNSUPPORTED, /* valid input that socemu does not implement */
} SocErrorCode;

#endif
