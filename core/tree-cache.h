/* core/tree-cache.h — compiled device trees kept between runs, for core/tree.c.
 *
 * A .dts (or overlay source) compiled through cpp and dtc is stored under
 * $SOCEMU_CACHE_DIR (default: the user's cache directory, ~/.cache/socemu/trees) with the
 * content hash of every file the tools read, and reused only while all of them hash the same.
 * SOCEMU_CACHE_DIR=off (or empty) turns it off. */
#ifndef SOC_TREE_CACHE_H
#define SOC_TREE_CACHE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct SocTreeCacheData {
	char *blob;             /* the compiled tree */
	size_t len;
	char *pp_text;          /* the preprocessed source (source locations are read from it) */
	char *warnings;         /* the tools' warnings, or NULL */
} SocTreeCacheData;

/* The entry file for compiling `src` with these include directories and tools, or NULL when
 * the cache is off. */
char *soc_tree_cache_path(const char *src, const char *const *include_dirs, const char *cpp,
                          const char *dtc);

/* Fill *d from the entry when it exists, parses and every file it depends on is unchanged. */
bool soc_tree_cache_lookup(const char *entry, SocTreeCacheData *d);

/* Write the entry: `src` plus the files listed in the make-style dependency files `depfiles`
 * (NULL-terminated; `skip`, a temporary input, is left out). Nothing is written when a
 * dependency cannot be read back exactly; failures to write are ignored. */
void soc_tree_cache_store(const char *entry, const char *src, const char *const *depfiles,
                          const char *skip, const SocTreeCacheData *d);

void soc_tree_cache_data_clear(SocTreeCacheData *d);

#endif
