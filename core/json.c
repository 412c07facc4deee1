/* core/json.c — JSON values, a strict RFC 8259 parser and a writer (see json.h). */
#include "config.h"
#include "core/json.h"
#include "core/error.h"

#include <math.h>
#include <string.h>

typedef struct {
	char *name;
	SocJson *value;
} Member;

struct SocJson {
	SocJsonType type;
	union {
		bool b;
		gint64 i;
		double d;
		struct {
			char *s;
			size_t len;
		} str;
		struct {
			SocJson **items;
			size_t len, cap;
		} arr;
		struct {
			Member *m;
			size_t len, cap;
			/* name -> index + 1, built once an object is large enough that scanning it for
			 * every new member (and every duplicate check while parsing) would be quadratic. */
			GHashTable *index;
		} obj;
	} u;
};

/* Below this many members a linear scan is cheaper than hashing. */
#define INDEX_THRESHOLD 16

static SocJson *new_value(SocJsonType t)
{
	SocJson *v = g_new0(SocJson, 1);
	v->type = t;
	return v;
}

SocJson *soc_json_new_null(void) { return new_value(SOC_JSON_NULL); }

SocJson *soc_json_new_bool(bool b)
{
	SocJson *v = new_value(SOC_JSON_BOOL);
	v->u.b = b;
	return v;
}

SocJson *soc_json_new_int(gint64 i)
{
	SocJson *v = new_value(SOC_JSON_INT);
	v->u.i = i;
	return v;
}

SocJson *soc_json_new_double(double d)
{
	SocJson *v = new_value(SOC_JSON_DOUBLE);
	v->u.d = d;
	return v;
}

SocJson *soc_json_new_string_len(const char *s, size_t len)
{
	SocJson *v = new_value(SOC_JSON_STRING);
	v->u.str.s = g_malloc(len + 1);
	if (len)
		memcpy(v->u.str.s, s, len);
	v->u.str.s[len] = '\0';
	v->u.str.len = len;
	return v;
}

SocJson *soc_json_new_string(const char *s)
{
	return s ? soc_json_new_string_len(s, strlen(s)) : soc_json_new_null();
}

/* Takes a g_malloc'd, NUL-terminated buffer of len bytes. */
static SocJson *new_string_take(char *s, size_t len)
{
	SocJson *v = new_value(SOC_JSON_STRING);
	v->u.str.s = s;
	v->u.str.len = len;
	return v;
}

SocJson *soc_json_new_array(void) { return new_value(SOC_JSON_ARRAY); }
SocJson *soc_json_new_object(void) { return new_value(SOC_JSON_OBJECT); }

void soc_json_free(SocJson *v)
{
	if (!v)
		return;
	switch (v->type) {
	case SOC_JSON_STRING:
		g_free(v->u.str.s);
		break;
	case SOC_JSON_ARRAY:
		for (size_t i = 0; i < v->u.arr.len; i++)
			soc_json_free(v->u.arr.items[i]);
		g_free(v->u.arr.items);
		break;
	case SOC_JSON_OBJECT:
		for (size_t i = 0; i < v->u.obj.len; i++) {
			g_free(v->u.obj.m[i].name);
			soc_json_free(v->u.obj.m[i].value);
		}
		g_free(v->u.obj.m);
		if (v->u.obj.index)
			g_hash_table_unref(v->u.obj.index);
		break;
	default:
		break;
	}
	g_free(v);
}

/* ---- reading -------------------------------------------------------------------------------- */

SocJsonType soc_json_type(const SocJson *v) { return v ? v->type : SOC_JSON_NULL; }

const char *soc_json_type_name(SocJsonType t)
{
	static const char *const names[] = {
		[SOC_JSON_NULL] = "null", [SOC_JSON_BOOL] = "boolean", [SOC_JSON_INT] = "integer",
		[SOC_JSON_DOUBLE] = "number", [SOC_JSON_STRING] = "string", [SOC_JSON_ARRAY] = "array",
		[SOC_JSON_OBJECT] = "object",
	};
	return (unsigned)t < G_N_ELEMENTS(names) ? names[t] : "?";
}

bool soc_json_get_bool(const SocJson *v) { return v && v->type == SOC_JSON_BOOL && v->u.b; }
gint64 soc_json_get_int(const SocJson *v) { return v && v->type == SOC_JSON_INT ? v->u.i : 0; }

double soc_json_get_double(const SocJson *v)
{
	if (v && v->type == SOC_JSON_DOUBLE)
		return v->u.d;
	return v && v->type == SOC_JSON_INT ? (double)v->u.i : 0.0;
}

const char *soc_json_get_string(const SocJson *v, size_t *len)
{
	bool is = v && v->type == SOC_JSON_STRING;
	if (len)
		*len = is ? v->u.str.len : 0;
	return is ? v->u.str.s : NULL;
}

/* ---- arrays --------------------------------------------------------------------------------- */

size_t soc_json_array_length(const SocJson *a)
{
	return a && a->type == SOC_JSON_ARRAY ? a->u.arr.len : 0;
}

SocJson *soc_json_array_get(const SocJson *a, size_t i)
{
	return a && a->type == SOC_JSON_ARRAY && i < a->u.arr.len ? a->u.arr.items[i] : NULL;
}

SocJson *soc_json_array_add(SocJson *a, SocJson *v)
{
	g_return_val_if_fail(a && a->type == SOC_JSON_ARRAY && v, v);
	if (a->u.arr.len == a->u.arr.cap) {
		a->u.arr.cap = a->u.arr.cap ? a->u.arr.cap * 2 : 4;
		a->u.arr.items = g_renew(SocJson *, a->u.arr.items, a->u.arr.cap);
	}
	a->u.arr.items[a->u.arr.len++] = v;
	return v;
}

void soc_json_array_add_string(SocJson *a, const char *s)
{
	soc_json_array_add(a, soc_json_new_string(s));
}

/* ---- objects -------------------------------------------------------------------------------- */

size_t soc_json_object_size(const SocJson *o)
{
	return o && o->type == SOC_JSON_OBJECT ? o->u.obj.len : 0;
}

const char *soc_json_object_name(const SocJson *o, size_t i)
{
	return i < soc_json_object_size(o) ? o->u.obj.m[i].name : NULL;
}

SocJson *soc_json_object_value(const SocJson *o, size_t i)
{
	return i < soc_json_object_size(o) ? o->u.obj.m[i].value : NULL;
}

static void index_rebuild(SocJson *o)
{
	if (o->u.obj.index)
		g_hash_table_remove_all(o->u.obj.index);
	else if (o->u.obj.len >= INDEX_THRESHOLD)
		o->u.obj.index = g_hash_table_new(g_str_hash, g_str_equal);
	if (!o->u.obj.index)
		return;
	/* Keys point into the members' own names, which live as long as the members. */
	for (size_t i = 0; i < o->u.obj.len; i++)
		g_hash_table_insert(o->u.obj.index, o->u.obj.m[i].name, GSIZE_TO_POINTER(i + 1));
}

/* The member's position, or -1. */
static gssize find_member(const SocJson *o, const char *name)
{
	if (o->u.obj.index)
		return (gssize)GPOINTER_TO_SIZE(g_hash_table_lookup(o->u.obj.index, name)) - 1;
	for (size_t i = 0; i < o->u.obj.len; i++)
		if (!strcmp(o->u.obj.m[i].name, name))
			return (gssize)i;
	return -1;
}

SocJson *soc_json_object_get(const SocJson *o, const char *name)
{
	gssize i;
	if (!o || o->type != SOC_JSON_OBJECT || !name)
		return NULL;
	i = find_member(o, name);
	return i < 0 ? NULL : o->u.obj.m[i].value;
}

/* Appends without looking for an existing member (the caller did). */
static void append_member(SocJson *o, char *name, SocJson *v)
{
	if (o->u.obj.len == o->u.obj.cap) {
		o->u.obj.cap = o->u.obj.cap ? o->u.obj.cap * 2 : 4;
		o->u.obj.m = g_renew(Member, o->u.obj.m, o->u.obj.cap);
	}
	o->u.obj.m[o->u.obj.len].name = name;
	o->u.obj.m[o->u.obj.len].value = v;
	o->u.obj.len++;
	if (o->u.obj.index)
		g_hash_table_insert(o->u.obj.index, name, GSIZE_TO_POINTER(o->u.obj.len));
	else if (o->u.obj.len == INDEX_THRESHOLD)
		index_rebuild(o);
}

SocJson *soc_json_object_set(SocJson *o, const char *name, SocJson *v)
{
	gssize i;
	g_return_val_if_fail(o && o->type == SOC_JSON_OBJECT && name && v, v);
	i = find_member(o, name);
	if (i >= 0) {
		if (o->u.obj.m[i].value != v)
			soc_json_free(o->u.obj.m[i].value);
		o->u.obj.m[i].value = v;
	} else {
		append_member(o, g_strdup(name), v);
	}
	return v;
}

void soc_json_object_set_string(SocJson *o, const char *name, const char *s)
{
	soc_json_object_set(o, name, soc_json_new_string(s));
}

void soc_json_object_set_int(SocJson *o, const char *name, gint64 v)
{
	soc_json_object_set(o, name, soc_json_new_int(v));
}

void soc_json_object_set_bool(SocJson *o, const char *name, bool v)
{
	soc_json_object_set(o, name, soc_json_new_bool(v));
}

void soc_json_object_set_null(SocJson *o, const char *name)
{
	soc_json_object_set(o, name, soc_json_new_null());
}

bool soc_json_object_remove(SocJson *o, const char *name)
{
	gssize i;
	if (!o || o->type != SOC_JSON_OBJECT || !name || (i = find_member(o, name)) < 0)
		return false;
	g_free(o->u.obj.m[i].name);
	soc_json_free(o->u.obj.m[i].value);
	memmove(&o->u.obj.m[i], &o->u.obj.m[i + 1], (o->u.obj.len - (size_t)i - 1) * sizeof(Member));
	o->u.obj.len--;
	if (o->u.obj.index)
		index_rebuild(o);
	return true;
}

/* ---- parser --------------------------------------------------------------------------------- */

typedef struct {
	const char *start, *p, *end;
	unsigned depth;
	GError **err;
} Parser;

static void G_GNUC_PRINTF(3, 4) parse_error(Parser *ps, const char *at, const char *fmt, ...)
{
	unsigned line = 1, col = 1;
	g_autofree char *msg = NULL;
	va_list ap;

	/* Computed only when there is an error, so the parser itself keeps no position. Columns
	 * count characters: UTF-8 continuation bytes do not start one. */
	for (const char *q = ps->start; q < at; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)*q & 0xc0) != 0x80) {
			col++;
		}
	}
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(ps->err, SOC_ERROR, SOC_ERROR_USAGE, "%u:%u: %s", line, col, msg);
}

/* "'x'", "end of input" or "byte 0xNN", for messages about what was found at p. */
static const char *describe(const Parser *ps, const char *p, char buf[16])
{
	unsigned char c;
	if (p >= ps->end)
		return "end of input";
	c = (unsigned char)*p;
	if (c > 0x20 && c < 0x7f)
		g_snprintf(buf, 16, "'%c'", c);
	else
		g_snprintf(buf, 16, "byte 0x%02x", c);
	return buf;
}

static void skip_ws(Parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when it is not one. Overlong forms,
 * surrogates and code points above U+10FFFF are invalid (RFC 3629). */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static int hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		int d = g_ascii_xdigit_value(p[i]);
		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/* A string at ps->p (the opening quote); on success *out is g_malloc'd and NUL-terminated. */
static bool parse_string(Parser *ps, char **out, size_t *out_len)
{
	const char *open = ps->p;
	GString *s = g_string_new(NULL);
	char buf[16];

	ps->p++;
	for (;;) {
		const char *run = ps->p;
		/* Copy plain runs in one go: most strings have no escapes. */
		while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' && (unsigned char)*ps->p >= 0x20 &&
		       (unsigned char)*ps->p < 0x80)
			ps->p++;
		g_string_append_len(s, run, ps->p - run);
		if (ps->p >= ps->end) {
			parse_error(ps, open, "string not closed before the end of input");
			goto fail;
		}
		unsigned char c = (unsigned char)*ps->p;
		if (c == '"') {
			ps->p++;
			*out_len = s->len;
			*out = g_string_free(s, FALSE);
			return true;
		}
		if (c < 0x20) {
			parse_error(ps, ps->p, "control character U+%04X in a string (must be written as an escape)", c);
			goto fail;
		}
		if (c >= 0x80) {
			size_t n = utf8_len((const unsigned char *)ps->p, (const unsigned char *)ps->end);
			if (!n) {
				parse_error(ps, ps->p, "invalid UTF-8 in a string (byte 0x%02x)", c);
				goto fail;
			}
			g_string_append_len(s, ps->p, (gssize)n);
			ps->p += n;
			continue;
		}
		/* A backslash. */
		if (ps->end - ps->p < 2) {
			parse_error(ps, open, "string not closed before the end of input");
			goto fail;
		}
		switch (ps->p[1]) {
		case '"': g_string_append_c(s, '"'); break;
		case '\\': g_string_append_c(s, '\\'); break;
		case '/': g_string_append_c(s, '/'); break;
		case 'b': g_string_append_c(s, '\b'); break;
		case 'f': g_string_append_c(s, '\f'); break;
		case 'n': g_string_append_c(s, '\n'); break;
		case 'r': g_string_append_c(s, '\r'); break;
		case 't': g_string_append_c(s, '\t'); break;
		case 'u': {
			int u, lo;
			if (ps->end - ps->p < 6 || (u = hex4(ps->p + 2)) < 0) {
				parse_error(ps, ps->p, "\\u must be followed by four hex digits");
				goto fail;
			}
			if (u >= 0xdc00 && u <= 0xdfff) {
				parse_error(ps, ps->p, "\\u%04x is a low surrogate without a high one before it", u);
				goto fail;
			}
			if (u >= 0xd800 && u <= 0xdbff) {
				if (ps->end - ps->p < 12 || ps->p[6] != '\\' || ps->p[7] != 'u' ||
				    (lo = hex4(ps->p + 8)) < 0xdc00 || lo > 0xdfff) {
					parse_error(ps, ps->p, "\\u%04x is a high surrogate without a low one after it", u);
					goto fail;
				}
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				ps->p += 6;
			}
			g_string_append_unichar(s, (gunichar)u);
			ps->p += 6;
			continue;
		}
		default:
			if (g_ascii_isgraph(ps->p[1]))
				parse_error(ps, ps->p, "unknown escape \\%c in a string", ps->p[1]);
			else
				parse_error(ps, ps->p, "a backslash followed by %s in a string", describe(ps, ps->p + 1, buf));
			goto fail;
		}
		ps->p += 2;
	}
fail:
	g_string_free(s, TRUE);
	return false;
}

static SocJson *parse_number(Parser *ps)
{
	const char *begin = ps->p, *p = ps->p;
	bool neg = false, integral = true;
	guint64 mag = 0;
	bool overflow = false;
	char buf[16];

	if (*p == '-') {
		neg = true;
		p++;
	}
	if (p >= ps->end || !g_ascii_isdigit(*p)) {
		parse_error(ps, p, "expected a digit after '-', found %s", describe(ps, p, buf));
		return NULL;
	}
	if (*p == '0') {
		p++;
		if (p < ps->end && g_ascii_isdigit(*p)) {
			parse_error(ps, begin, "numbers must not have leading zeros");
			return NULL;
		}
	} else {
		for (; p < ps->end && g_ascii_isdigit(*p); p++) {
			unsigned d = (unsigned)(*p - '0');
			if (mag > (G_MAXUINT64 - d) / 10)
				overflow = true;
			else
				mag = mag * 10 + d;
		}
	}
	if (p < ps->end && *p == '.') {
		integral = false;
		p++;
		if (p >= ps->end || !g_ascii_isdigit(*p)) {
			parse_error(ps, p, "expected a digit after the decimal point, found %s", describe(ps, p, buf));
			return NULL;
		}
		while (p < ps->end && g_ascii_isdigit(*p))
			p++;
	}
	if (p < ps->end && (*p == 'e' || *p == 'E')) {
		integral = false;
		p++;
		if (p < ps->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= ps->end || !g_ascii_isdigit(*p)) {
			parse_error(ps, p, "expected a digit in the exponent, found %s", describe(ps, p, buf));
			return NULL;
		}
		while (p < ps->end && g_ascii_isdigit(*p))
			p++;
	}
	ps->p = p;
	if (integral && !overflow) {
		if (!neg && mag <= (guint64)G_MAXINT64)
			return soc_json_new_int((gint64)mag);
		if (neg && mag <= (guint64)G_MAXINT64 + 1)
			return soc_json_new_int(mag == (guint64)G_MAXINT64 + 1 ? G_MININT64 : -(gint64)mag);
	}
	{
		/* The input need not be NUL-terminated: convert a copy of the token. */
		g_autofree char *tok = g_strndup(begin, (gsize)(p - begin));
		double d = g_ascii_strtod(tok, NULL);
		if (!isfinite(d)) {
			parse_error(ps, begin, "number %s is too large for a double", tok);
			return NULL;
		}
		return soc_json_new_double(d);
	}
}

static SocJson *parse_value(Parser *ps);

static bool enter(Parser *ps)
{
	if (ps->depth >= SOC_JSON_MAX_DEPTH) {
		parse_error(ps, ps->p, "nested deeper than %d arrays and objects", SOC_JSON_MAX_DEPTH);
		return false;
	}
	ps->depth++;
	return true;
}

/* After an element of an array or an object: ',' and more to come (0), or `close`, which
 * ends it (1); anything else, or a comma right before `close`, is an error (-1). */
static int after_element(Parser *ps, char close, const char *what)
{
	char buf[16];

	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ',') {
		ps->p++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == close) {
			parse_error(ps, ps->p, "trailing comma before '%c'", close);
			return -1;
		}
		return 0;
	}
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		ps->depth--;
		return 1;
	}
	parse_error(ps, ps->p, "expected ',' or '%c' after %s, found %s", close, what,
	            describe(ps, ps->p, buf));
	return -1;
}

static SocJson *parse_array(Parser *ps)
{
	SocJson *a;

	if (!enter(ps))
		return NULL;
	a = soc_json_new_array();
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		ps->depth--;
		return a;
	}
	for (;;) {
		SocJson *v = parse_value(ps);
		if (!v)
			goto fail;
		soc_json_array_add(a, v);
		switch (after_element(ps, ']', "an array element")) {
		case 1: return a;
		case 0: continue;
		default: goto fail;
		}
	}
fail:
	soc_json_free(a);
	return NULL;
}

static SocJson *parse_object(Parser *ps)
{
	SocJson *o;
	char buf[16];

	if (!enter(ps))
		return NULL;
	o = soc_json_new_object();
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		ps->depth--;
		return o;
	}
	for (;;) {
		const char *at = ps->p;
		char *name;
		size_t len;
		SocJson *v;

		if (ps->p >= ps->end || *ps->p != '"') {
			parse_error(ps, ps->p, "expected a member name in double quotes, found %s", describe(ps, ps->p, buf));
			goto fail;
		}
		if (!parse_string(ps, &name, &len))
			goto fail;
		if (strlen(name) != len) {
			parse_error(ps, at, "member names containing \\u0000 are not supported");
			g_free(name);
			goto fail;
		}
		if (find_member(o, name) >= 0) {
			/* RFC 8259 leaves duplicate names to the reader; taking either would be a guess. */
			parse_error(ps, at, "duplicate member name \"%s\"", name);
			g_free(name);
			goto fail;
		}
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != ':') {
			parse_error(ps, ps->p, "expected ':' after member name \"%s\", found %s", name,
			            describe(ps, ps->p, buf));
			g_free(name);
			goto fail;
		}
		ps->p++;
		v = parse_value(ps);
		if (!v) {
			g_free(name);
			goto fail;
		}
		append_member(o, name, v);
		switch (after_element(ps, '}', "an object member")) {
		case 1: return o;
		case 0: continue;
		default: goto fail;
		}
	}
fail:
	soc_json_free(o);
	return NULL;
}

static bool literal(Parser *ps, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n))
		return false;
	ps->p += n;
	return true;
}

static SocJson *parse_value(Parser *ps)
{
	char buf[16];

	skip_ws(ps);
	if (ps->p >= ps->end) {
		parse_error(ps, ps->p, "expected a value, found end of input");
		return NULL;
	}
	switch (*ps->p) {
	case '{':
		return parse_object(ps);
	case '[':
		return parse_array(ps);
	case '"': {
		char *s;
		size_t len;
		return parse_string(ps, &s, &len) ? new_string_take(s, len) : NULL;
	}
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return parse_number(ps);
	case 't':
		if (literal(ps, "true"))
			return soc_json_new_bool(true);
		break;
	case 'f':
		if (literal(ps, "false"))
			return soc_json_new_bool(false);
		break;
	case 'n':
		if (literal(ps, "null"))
			return soc_json_new_null();
		break;
	}
	parse_error(ps, ps->p, "expected a value, found %s", describe(ps, ps->p, buf));
	return NULL;
}

SocJson *soc_json_parse(const char *text, gssize len, GError **err)
{
	Parser ps;
	SocJson *v;
	char buf[16];

	g_return_val_if_fail(text || len == 0, NULL);
	if (len < 0)
		len = (gssize)strlen(text);
	ps.start = ps.p = text ? text : "";
	ps.end = ps.start + len;
	ps.depth = 0;
	ps.err = err;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		parse_error(&ps, ps.p, "a byte order mark is not allowed");
		return NULL;
	}
	v = parse_value(&ps);
	if (!v)
		return NULL;
	skip_ws(&ps);
	if (ps.p < ps.end) {
		parse_error(&ps, ps.p, "unexpected %s after the value", describe(&ps, ps.p, buf));
		soc_json_free(v);
		return NULL;
	}
	return v;
}

/* ---- writer --------------------------------------------------------------------------------- */

static void write_string(GString *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	g_string_append_c(out, '"');
	while (p < end) {
		const unsigned char *run = p;
		size_t n;
		while (p < end && *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
			p++;
		g_string_append_len(out, (const char *)run, (gssize)(p - run));
		if (p >= end)
			break;
		switch (*p) {
		case '"': g_string_append(out, "\\\""); p++; continue;
		case '\\': g_string_append(out, "\\\\"); p++; continue;
		case '\b': g_string_append(out, "\\b"); p++; continue;
		case '\f': g_string_append(out, "\\f"); p++; continue;
		case '\n': g_string_append(out, "\\n"); p++; continue;
		case '\r': g_string_append(out, "\\r"); p++; continue;
		case '\t': g_string_append(out, "\\t"); p++; continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			g_string_append(out, "\\u00");
			g_string_append_c(out, hex[*p >> 4]);
			g_string_append_c(out, hex[*p & 15]);
			p++;
			continue;
		}
		n = utf8_len(p, end);
		if (n) {
			g_string_append_len(out, (const char *)p, (gssize)n);
			p += n;
		} else {
			g_string_append(out, "\\ufffd");
			p++;
		}
	}
	g_string_append_c(out, '"');
}

static void write_double(GString *out, double d)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	if (!isfinite(d)) {
		g_string_append(out, "null");
		return;
	}
	/* The shortest of 15-17 significant digits that reads back exactly. */
	for (int prec = 15; prec <= 17; prec++) {
		char f[8];
		g_snprintf(f, sizeof(f), "%%.%dg", prec);
		g_ascii_formatd(buf, sizeof(buf), f, d);
		if (g_ascii_strtod(buf, NULL) == d)
			break;
	}
	g_string_append(out, buf);
	/* "1" would read back as an integer. */
	if (!strpbrk(buf, ".eE"))
		g_string_append(out, ".0");
}

static void newline(GString *out, unsigned level)
{
	g_string_append_c(out, '\n');
	for (unsigned i = 0; i < level; i++)
		g_string_append(out, "  ");
}

static void write_value(GString *out, const SocJson *v, bool pretty, unsigned level)
{
	switch (v->type) {
	case SOC_JSON_NULL:
		g_string_append(out, "null");
		break;
	case SOC_JSON_BOOL:
		g_string_append(out, v->u.b ? "true" : "false");
		break;
	case SOC_JSON_INT:
		g_string_append_printf(out, "%" G_GINT64_FORMAT, v->u.i);
		break;
	case SOC_JSON_DOUBLE:
		write_double(out, v->u.d);
		break;
	case SOC_JSON_STRING:
		write_string(out, v->u.str.s, v->u.str.len);
		break;
	case SOC_JSON_ARRAY:
		g_string_append_c(out, '[');
		for (size_t i = 0; i < v->u.arr.len; i++) {
			if (i)
				g_string_append_c(out, ',');
			if (pretty)
				newline(out, level + 1);
			write_value(out, v->u.arr.items[i], pretty, level + 1);
		}
		if (pretty && v->u.arr.len)
			newline(out, level);
		g_string_append_c(out, ']');
		break;
	case SOC_JSON_OBJECT:
		g_string_append_c(out, '{');
		for (size_t i = 0; i < v->u.obj.len; i++) {
			if (i)
				g_string_append_c(out, ',');
			if (pretty)
				newline(out, level + 1);
			write_string(out, v->u.obj.m[i].name, strlen(v->u.obj.m[i].name));
			g_string_append(out, pretty ? " : " : ":");
			write_value(out, v->u.obj.m[i].value, pretty, level + 1);
		}
		if (pretty && v->u.obj.len)
			newline(out, level);
		g_string_append_c(out, '}');
		break;
	}
}

void soc_json_append(GString *out, const SocJson *v, SocJsonFormat fmt)
{
	if (!v)
		g_string_append(out, "null");
	else
		write_value(out, v, (fmt & SOC_JSON_PRETTY) != 0, 0);
}

char *soc_json_to_string(const SocJson *v, SocJsonFormat fmt)
{
	GString *out = g_string_new(NULL);
	soc_json_append(out, v, fmt);
	return g_string_free(out, FALSE);
}
