/* core/json.h — JSON values, a strict parser and a writer.
 *
 * The command table's arguments and results, -report and the machine protocol speak JSON.
 * A library for it (json-glib) pulled GObject, GIO and their chain of shared libraries into
 * every run, which cost more start-up time than building a small machine (issue 7), so
 * socemu has this small module instead.
 *
 * Values form a tree: a container owns its members, and the functions that add a member
 * take ownership of it. Object members keep their insertion order (reports read in the
 * order they were written); setting an existing name replaces its value in place.
 *
 * The parser follows RFC 8259 strictly: no comments, trailing commas, single quotes, NaN,
 * leading zeros or byte order mark; strings must be valid UTF-8 with properly paired
 * \u surrogates; nesting is limited to SOC_JSON_MAX_DEPTH. Errors are SOC_ERROR_USAGE with a
 * message that starts with "LINE:COLUMN: " (both from 1, columns in characters), so callers
 * can prefix a file or channel name. Integers that fit a gint64 are integers; other numbers
 * are doubles. Names containing \u0000 are refused (names are C strings); string values may
 * contain it (see soc_json_get_string's length). */
#ifndef SOC_JSON_H
#define SOC_JSON_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#define SOC_JSON_MAX_DEPTH 128

typedef enum {
	SOC_JSON_NULL,
	SOC_JSON_BOOL,
	SOC_JSON_INT,
	SOC_JSON_DOUBLE,
	SOC_JSON_STRING,
	SOC_JSON_ARRAY,
	SOC_JSON_OBJECT,
} SocJsonType;

typedef struct SocJson SocJson;

/* ---- construction (each returns a new value the caller owns) ------------------------------- */
SocJson *soc_json_new_null(void);
SocJson *soc_json_new_bool(bool v);
SocJson *soc_json_new_int(gint64 v);
SocJson *soc_json_new_double(double v);
/* A copy of s; NULL gives a null value. */
SocJson *soc_json_new_string(const char *s);
SocJson *soc_json_new_string_len(const char *s, size_t len);
SocJson *soc_json_new_array(void);
SocJson *soc_json_new_object(void);
void soc_json_free(SocJson *v);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SocJson, soc_json_free)

/* ---- reading (a value of another type reads as 0, false or NULL) --------------------------- */
SocJsonType soc_json_type(const SocJson *v);
const char *soc_json_type_name(SocJsonType t);      /* "null", "boolean", "integer", ... */
bool soc_json_get_bool(const SocJson *v);
gint64 soc_json_get_int(const SocJson *v);
double soc_json_get_double(const SocJson *v);        /* integers too */
/* NUL-terminated; *len (may be NULL) gets the length, which counts embedded NULs. */
const char *soc_json_get_string(const SocJson *v, size_t *len);

/* ---- arrays --------------------------------------------------------------------------------- */
size_t soc_json_array_length(const SocJson *a);
SocJson *soc_json_array_get(const SocJson *a, size_t i);           /* NULL when out of range */
/* Appends v (taken) and returns it, so that containers can be filled where they are made. */
SocJson *soc_json_array_add(SocJson *a, SocJson *v);
void soc_json_array_add_string(SocJson *a, const char *s);

/* ---- objects -------------------------------------------------------------------------------- */
size_t soc_json_object_size(const SocJson *o);
const char *soc_json_object_name(const SocJson *o, size_t i);      /* the i-th in order */
SocJson *soc_json_object_value(const SocJson *o, size_t i);
SocJson *soc_json_object_get(const SocJson *o, const char *name);  /* NULL when absent */
/* Sets name to v (taken), replacing an existing member in place; returns v. */
SocJson *soc_json_object_set(SocJson *o, const char *name, SocJson *v);
void soc_json_object_set_string(SocJson *o, const char *name, const char *s);  /* NULL: null */
void soc_json_object_set_int(SocJson *o, const char *name, gint64 v);
void soc_json_object_set_bool(SocJson *o, const char *name, bool v);
void soc_json_object_set_null(SocJson *o, const char *name);
bool soc_json_object_remove(SocJson *o, const char *name);

/* ---- text ----------------------------------------------------------------------------------- */
/* len may be -1 for a NUL-terminated text. */
SocJson *soc_json_parse(const char *text, gssize len, GError **err);

typedef enum {
	SOC_JSON_COMPACT = 0,
	/* Two-space indent, "name" : value, one member per line (json-glib's layout, which
	 * -report has always had). No newline at the end. */
	SOC_JSON_PRETTY = 1u << 0,
} SocJsonFormat;

/* Strings are written as UTF-8, with '"', '\' and control characters escaped; bytes that
 * are not valid UTF-8 become U+FFFD so that the output is always valid JSON. Doubles are
 * written so that they read back to the same value (and as doubles); NaN and infinities,
 * which JSON cannot express, are written as null. */
void soc_json_append(GString *out, const SocJson *v, SocJsonFormat fmt);
char *soc_json_to_string(const SocJson *v, SocJsonFormat fmt);

#endif
