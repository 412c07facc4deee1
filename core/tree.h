/* core/tree.h — the tree input layer: from the user's files to the machine tree in memory.
 *
 * A SocTree owns one flattened device tree (libfdt blob) built from the main input file
 * (.dtb, or .dts run through cpp and dtc), then edited in order by overlays (-overlay,
 * -profile) and single property assignments (-set). Every blob that enters goes through
 * fdt_check_full; failed edits leave the tree as it was.
 *
 * The blob stays writable by libfdt: it always has spare room after an edit, and
 * soc_tree_reserve() grows it on demand (which may move it: fetch soc_tree_blob() again).
 *
 * When the input was a .dts, the tree can say where a node or a property was written
 * (file:line in the user's own files, through #include), so that errors about the content
 * of the tree point at the source. That table is built lazily, on the first question.
 *
 * cpp and dtc are run as child processes (no shell); their paths are SOC_CPP / SOC_DTC from
 * config.h unless the environment variables SOCEMU_CPP / SOCEMU_DTC say otherwise. Temporary
 * files live in a private directory removed before each call returns. */
#ifndef SOC_TREE_H
#define SOC_TREE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct SocTree SocTree;

/* Load a .dtb (recognised by the FDT magic, whatever the file is called) or a .dts.
 * include_dirs: NULL-terminated list (may be NULL) searched by #include and /include/, before
 * the directory of the file itself; they are also used for overlays applied later. */
SocTree *soc_tree_load(const char *path, const char *const *include_dirs, GError **err);

/* Copy an in-memory blob of len bytes. origin names it in messages and anchors relative
 * paths (may be NULL: relative paths then stay relative to the current directory). */
SocTree *soc_tree_new_from_blob(const void *blob, size_t len, const char *origin, GError **err);

void soc_tree_free(SocTree *t);

/* Apply an overlay: a .dtbo, or a .dtso/.dts source compiled on the fly (through cpp, with
 * the include dirs given to soc_tree_load). On failure the tree is unchanged. */
bool soc_tree_apply_overlay(SocTree *t, const char *path, GError **err);

/* Same, for an overlay blob already in memory (name is used in messages). */
bool soc_tree_apply_overlay_blob(SocTree *t, const void *overlay, size_t len, const char *name,
                                 GError **err);

/* "/node/path:property=VALUE" with VALUE in dts syntax (<1 2>, "s", "a", "b", [0a 0b],
 * /bits/ 64 <1>, <&label>, ...), or "/node/path:property" for an empty property.
 * Creates or replaces exactly that one property. On failure the tree is unchanged. */
bool soc_tree_set(SocTree *t, const char *assignment, GError **err);

/* "/node/path:property": remove the property (an error if the node or property is absent). */
bool soc_tree_delete_property(SocTree *t, const char *spec, GError **err);

/* The blob (valid libfdt tree with spare room) and the size of its buffer. */
const void *soc_tree_blob(const SocTree *t);
void *soc_tree_blob_rw(SocTree *t);
size_t soc_tree_size(const SocTree *t);

/* Make sure at least `extra` bytes are free in the blob for libfdt edits. May move the
 * blob. */
bool soc_tree_reserve(SocTree *t, size_t extra, GError **err);

/* The final tree, packed (no spare room), for -dump-dtb. */
bool soc_tree_write_dtb(const SocTree *t, const char *path, GError **err);

/* Path of the main input file as given (or the origin passed to new_from_blob, or NULL). */
const char *soc_tree_origin(const SocTree *t);

/* relpath resolved against the directory of the main input file (absolute paths are
 * returned as they are). Free with g_free. */
char *soc_tree_resolve_relative(const SocTree *t, const char *relpath);

/* Warnings dtc printed while compiling the main input (NULL if none). */
const char *soc_tree_warnings(const SocTree *t);

/* "file:line" where the node (property == NULL) or the property was defined, or NULL when
 * unknown (input was a .dtb, node or property added by -set, ...). A node's location is its
 * first definition; a property's is the definition that won. The string belongs to the
 * tree. */
const char *soc_tree_source_of(const SocTree *t, const char *node_path, const char *property);

/* err->message starts with "/node/path: " or "/node/path:property: ": when the tree knows
 * where that was written, prefix the message with "file:line: ". Otherwise leave it. */
void soc_tree_annotate_error(const SocTree *t, GError *err);

#endif
