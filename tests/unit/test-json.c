/* core/json.c: values and their order, the writer's layouts and escapes, the strict parser's
 * acceptance and its errors (with positions), random and truncated inputs, and the command
 * table's argument checks, which read JSON values. */
#include "core/command.h"
#include "core/error.h"
#include "core/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static char *compact(const SocJson *v) { return soc_json_to_string(v, SOC_JSON_COMPACT); }

/* ---- values --------------------------------------------------------------------------------- */

static void test_scalars(void)
{
	g_autoptr(SocJson) n = soc_json_new_null();
	g_autoptr(SocJson) b = soc_json_new_bool(true);
	g_autoptr(SocJson) i = soc_json_new_int(G_MININT64);
	g_autoptr(SocJson) d = soc_json_new_double(2.5);
	g_autoptr(SocJson) s = soc_json_new_string("héllo");
	g_autoptr(SocJson) z = soc_json_new_string_len("a\0b", 3);
	g_autoptr(SocJson) sn = soc_json_new_string(NULL);
	size_t len;

	g_assert_cmpint(soc_json_type(n), ==, SOC_JSON_NULL);
	g_assert_true(soc_json_get_bool(b));
	g_assert_cmpint(soc_json_get_int(i), ==, G_MININT64);
	g_assert_cmpfloat(soc_json_get_double(d), ==, 2.5);
	g_assert_cmpfloat(soc_json_get_double(i), ==, (double)G_MININT64);
	g_assert_cmpstr(soc_json_get_string(s, &len), ==, "héllo");
	g_assert_cmpuint(len, ==, 6);
	g_assert_true(memcmp(soc_json_get_string(z, &len), "a\0b", 4) == 0);
	g_assert_cmpuint(len, ==, 3);
	g_assert_cmpint(soc_json_type(sn), ==, SOC_JSON_NULL);
	/* Reading the wrong type gives the neutral value, never a crash. */
	g_assert_null(soc_json_get_string(i, &len));
	g_assert_cmpuint(len, ==, 0);
	g_assert_cmpint(soc_json_get_int(s), ==, 0);
	g_assert_false(soc_json_get_bool(n));
	g_assert_cmpuint(soc_json_array_length(s), ==, 0);
	g_assert_null(soc_json_object_get(s, "x"));
	g_assert_null(soc_json_array_get(NULL, 0));
	g_assert_cmpstr(soc_json_type_name(SOC_JSON_DOUBLE), ==, "number");
}

static void test_object_order_and_replace(void)
{
	g_autoptr(SocJson) o = soc_json_new_object();
	g_autofree char *text = NULL;

	soc_json_object_set_int(o, "zeta", 1);
	soc_json_object_set_string(o, "alpha", "a");
	soc_json_object_set_null(o, "mid");
	soc_json_object_set_bool(o, "zeta", false);      /* replaced where it stands */
	g_assert_cmpuint(soc_json_object_size(o), ==, 3);
	g_assert_cmpstr(soc_json_object_name(o, 0), ==, "zeta");
	g_assert_cmpstr(soc_json_object_name(o, 2), ==, "mid");
	g_assert_null(soc_json_object_name(o, 3));
	text = compact(o);
	g_assert_cmpstr(text, ==, "{\"zeta\":false,\"alpha\":\"a\",\"mid\":null}");
	g_assert_true(soc_json_object_remove(o, "zeta"));
	g_assert_false(soc_json_object_remove(o, "zeta"));
	g_assert_cmpstr(soc_json_object_name(o, 0), ==, "alpha");
	g_assert_null(soc_json_object_get(o, "zeta"));
}

/* Large objects switch to a hash index: lookups, replacement and removal must agree with the
 * order kept in the member array. */
static void test_large_object(void)
{
	g_autoptr(SocJson) o = soc_json_new_object();

	for (int i = 0; i < 100; i++) {
		g_autofree char *k = g_strdup_printf("k%d", i);
		soc_json_object_set_int(o, k, i);
	}
	soc_json_object_set_int(o, "k50", -50);
	g_assert_cmpuint(soc_json_object_size(o), ==, 100);
	g_assert_cmpint(soc_json_get_int(soc_json_object_get(o, "k50")), ==, -50);
	for (int i = 0; i < 100; i += 3) {
		g_autofree char *k = g_strdup_printf("k%d", i);
		g_assert_true(soc_json_object_remove(o, k));
	}
	g_assert_cmpuint(soc_json_object_size(o), ==, 66);
	for (int i = 0; i < 100; i++) {
		g_autofree char *k = g_strdup_printf("k%d", i);
		SocJson *v = soc_json_object_get(o, k);
		if (i % 3 == 0) {
			g_assert_null(v);
		} else {
			g_assert_nonnull(v);
			g_assert_cmpint(soc_json_get_int(v), ==, i == 50 ? -50 : i);
		}
	}
	g_assert_cmpstr(soc_json_object_name(o, 0), ==, "k1");
	g_assert_cmpstr(soc_json_object_name(o, 65), ==, "k98");
	while (soc_json_object_size(o))
		g_assert_true(soc_json_object_remove(o, soc_json_object_name(o, 0)));
	g_assert_null(soc_json_object_get(o, "k1"));
}

/* ---- writer --------------------------------------------------------------------------------- */

static void test_write_pretty(void)
{
	g_autoptr(SocJson) o = soc_json_new_object();
	SocJson *a, *inner;
	g_autofree char *text = NULL, *flat = NULL;

	soc_json_object_set_string(o, "name", "cpus");
	a = soc_json_object_set(o, "cpus", soc_json_new_array());
	inner = soc_json_array_add(a, soc_json_new_object());
	soc_json_object_set_int(inner, "n", 0);
	soc_json_array_add(a, soc_json_new_int(7));
	soc_json_object_set(o, "empty", soc_json_new_array());
	soc_json_object_set(o, "none", soc_json_new_object());
	text = soc_json_to_string(o, SOC_JSON_PRETTY);
	/* json-glib's layout, which -report had before this module. */
	g_assert_cmpstr(text, ==,
	                "{\n"
	                "  \"name\" : \"cpus\",\n"
	                "  \"cpus\" : [\n"
	                "    {\n"
	                "      \"n\" : 0\n"
	                "    },\n"
	                "    7\n"
	                "  ],\n"
	                "  \"empty\" : [],\n"
	                "  \"none\" : {}\n"
	                "}");
	flat = compact(o);
	g_assert_cmpstr(flat, ==, "{\"name\":\"cpus\",\"cpus\":[{\"n\":0},7],\"empty\":[],\"none\":{}}");
}

static void test_write_escapes(void)
{
	static const struct { const char *in; size_t len; const char *out; } cases[] = {
		{ "plain", 5, "\"plain\"" },
		{ "q\"b\\s/", 6, "\"q\\\"b\\\\s/\"" },
		{ "\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"" },
		{ "\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"" },
		{ "nul\0x", 5, "\"nul\\u0000x\"" },
		{ "h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 12, "\"h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
		/* Not UTF-8: a lone continuation byte, a truncated sequence, an overlong NUL, an
		 * encoded surrogate, a code point above U+10FFFF. */
		{ "a\x80z", 3, "\"a\\ufffdz\"" },
		{ "\xe2\x82", 2, "\"\\ufffd\\ufffd\"" },
		{ "\xc0\x80", 2, "\"\\ufffd\\ufffd\"" },
		{ "\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"" },
		{ "\xf4\x90\x80\x80", 4, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SocJson) v = soc_json_new_string_len(cases[i].in, cases[i].len);
		g_autofree char *text = compact(v);
		g_autoptr(SocJson) back = NULL;
		g_autoptr(GError) err = NULL;

		g_assert_cmpstr(text, ==, cases[i].out);
		/* Whatever went in, what comes out parses. */
		back = soc_json_parse(text, -1, &err);
		g_assert_no_error(err);
		g_assert_cmpint(soc_json_type(back), ==, SOC_JSON_STRING);
	}
}

static void test_write_numbers(void)
{
	static const struct { double d; const char *out; } doubles[] = {
		{ 0.1, "0.1" }, { 1.0, "1.0" }, { -2.0, "-2.0" }, { 1e300, "1e+300" }, { 0.3, "0.3" },
		{ 1.0 / 3.0, "0.3333333333333333" }, { 123456789.125, "123456789.125" }, { -0.0, "-0.0" },
		{ NAN, "null" }, { INFINITY, "null" }, { -INFINITY, "null" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(doubles); i++) {
		g_autoptr(SocJson) v = soc_json_new_double(doubles[i].d);
		g_autofree char *text = compact(v);
		g_assert_cmpstr(text, ==, doubles[i].out);
		if (isfinite(doubles[i].d)) {
			g_autoptr(SocJson) back = soc_json_parse(text, -1, NULL);
			g_assert_cmpint(soc_json_type(back), ==, SOC_JSON_DOUBLE);
			g_assert_cmpfloat(soc_json_get_double(back), ==, doubles[i].d);
		}
	}
	{
		g_autoptr(SocJson) a = soc_json_new_array();
		g_autofree char *text = NULL;
		soc_json_array_add(a, soc_json_new_int(G_MAXINT64));
		soc_json_array_add(a, soc_json_new_int(G_MININT64));
		soc_json_array_add(a, soc_json_new_int(0));
		text = compact(a);
		g_assert_cmpstr(text, ==, "[9223372036854775807,-9223372036854775808,0]");
	}
}

/* ---- parser: what it accepts ---------------------------------------------------------------- */

static void test_parse_values(void)
{
	static const struct { const char *in; const char *compact; } cases[] = {
		{ "null", "null" }, { " true ", "true" }, { "\t\r\nfalse\n", "false" },
		{ "0", "0" }, { "-0", "0" }, { "42", "42" }, { "-17", "-17" },
		{ "9223372036854775807", "9223372036854775807" },
		{ "-9223372036854775808", "-9223372036854775808" },
		{ "9223372036854775808", "9.223372036854776e+18" },       /* past gint64: a double */
		{ "123456789012345678901234567890", "1.2345678901234568e+29" },
		{ "1.5", "1.5" }, { "-0.25e2", "-25.0" }, { "1E+2", "100.0" }, { "5e-1", "0.5" }, { "1e-400", "0.0" },
		{ "\"\"", "\"\"" }, { "\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"a\\\"\\\\/\\b\\f\\n\\r\\t\"" },
		{ "\"\\u00e9\\u20AC\"", "\"\xc3\xa9\xe2\x82\xac\"" },
		{ "\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"" },
		{ "\"\xf0\x9f\x98\x80\"", "\"\xf0\x9f\x98\x80\"" },
		{ "[]", "[]" }, { "{}", "{}" }, { " [ 1 , [ ] , { } ] ", "[1,[],{}]" },
		{ "{\"b\":1,\"a\":{\"c\":[true,null]}}", "{\"b\":1,\"a\":{\"c\":[true,null]}}" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) err = NULL;
		g_autoptr(SocJson) v = soc_json_parse(cases[i].in, -1, &err);
		g_autofree char *text = NULL;
		g_assert_no_error(err);
		text = compact(v);
		g_assert_cmpstr(text, ==, cases[i].compact);
	}
}

static void test_parse_types(void)
{
	g_autoptr(SocJson) v = soc_json_parse("{\"i\":3,\"d\":3.0,\"s\":\"x\\u0000y\",\"e\":1e2}", -1, NULL);
	size_t len;

	g_assert_cmpint(soc_json_type(soc_json_object_get(v, "i")), ==, SOC_JSON_INT);
	g_assert_cmpint(soc_json_type(soc_json_object_get(v, "d")), ==, SOC_JSON_DOUBLE);
	g_assert_cmpint(soc_json_type(soc_json_object_get(v, "e")), ==, SOC_JSON_DOUBLE);
	g_assert_true(memcmp(soc_json_get_string(soc_json_object_get(v, "s"), &len), "x\0y", 4) == 0);
	g_assert_cmpuint(len, ==, 3);
}

/* A text with an explicit length need not end in NUL, and may contain one. */
static void test_parse_length(void)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(SocJson) v = soc_json_parse("[1,2]garbage", 5, &err);
	g_autoptr(SocJson) w = NULL;

	g_assert_no_error(err);
	g_assert_cmpuint(soc_json_array_length(v), ==, 2);
	w = soc_json_parse("[1,\0]", 5, &err);
	g_assert_null(w);
	g_assert_error(err, SOC_ERROR, SOC_ERROR_USAGE);
	g_assert_cmpstr(err->message, ==, "1:4: expected a value, found byte 0x00");
}

static void test_parse_depth(void)
{
	GString *ok = g_string_new(NULL), *deep = g_string_new(NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(SocJson) v = NULL;

	for (int i = 0; i < SOC_JSON_MAX_DEPTH; i++)
		g_string_append(ok, i % 2 ? "{\"a\":" : "[");
	g_string_append(ok, "0");
	for (int i = SOC_JSON_MAX_DEPTH - 1; i >= 0; i--)
		g_string_append(ok, i % 2 ? "}" : "]");
	v = soc_json_parse(ok->str, -1, &err);
	g_assert_no_error(err);
	g_assert_nonnull(v);
	/* One more level, and far more (a recursive parser must not follow it down). */
	g_string_append(deep, "[");
	g_string_append(deep, ok->str);
	g_string_append(deep, "]");
	g_assert_null(soc_json_parse(deep->str, -1, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_USAGE);
	g_assert_nonnull(strstr(err->message, "nested deeper than 128"));
	g_clear_error(&err);
	g_string_truncate(deep, 0);
	for (int i = 0; i < 1000000; i++)
		g_string_append_c(deep, '[');
	g_assert_null(soc_json_parse(deep->str, -1, &err));
	g_assert_cmpstr(err->message, ==, "1:129: nested deeper than 128 arrays and objects");
	g_string_free(ok, TRUE);
	g_string_free(deep, TRUE);
}

/* ---- parser: what it refuses, and where it says the problem is ------------------------------ */

static void test_parse_errors(void)
{
	static const struct { const char *in; const char *msg; } cases[] = {
		{ "", "1:1: expected a value, found end of input" },
		{ "   \n  ", "2:3: expected a value, found end of input" },
		{ "\xef\xbb\xbf{}", "1:1: a byte order mark is not allowed" },
		{ "tru", "1:1: expected a value, found 't'" },
		{ "True", "1:1: expected a value, found 'T'" },
		{ "nulls", "1:5: unexpected 's' after the value" },
		{ "1 2", "1:3: unexpected '2' after the value" },
		{ "NaN", "1:1: expected a value, found 'N'" },
		{ "-Infinity", "1:2: expected a digit after '-', found 'I'" },
		{ "-", "1:2: expected a digit after '-', found end of input" },
		{ "+1", "1:1: expected a value, found '+'" },
		{ ".5", "1:1: expected a value, found '.'" },
		{ "01", "1:1: numbers must not have leading zeros" },
		{ "-012", "1:1: numbers must not have leading zeros" },
		{ "1.", "1:3: expected a digit after the decimal point, found end of input" },
		{ "1.e5", "1:3: expected a digit after the decimal point, found 'e'" },
		{ "1e", "1:3: expected a digit in the exponent, found end of input" },
		{ "1e+", "1:4: expected a digit in the exponent, found end of input" },
		{ "1e400", "1:1: number 1e400 is too large for a double" },
		{ "-1e400", "1:1: number -1e400 is too large for a double" },
		{ "[1,]", "1:4: trailing comma before ']'" },
		{ "[1 2]", "1:4: expected ',' or ']' after an array element, found '2'" },
		{ "[1,2", "1:5: expected ',' or ']' after an array element, found end of input" },
		{ "[,1]", "1:2: expected a value, found ','" },
		{ "{\"a\":1,}", "1:8: trailing comma before '}'" },
		{ "{\"a\":1 \"b\":2}", "1:8: expected ',' or '}' after an object member, found '\"'" },
		{ "{\"a\":1,\"a\":2}", "1:8: duplicate member name \"a\"" },
		{ "{'a':1}", "1:2: expected a member name in double quotes, found '''" },
		{ "{a:1}", "1:2: expected a member name in double quotes, found 'a'" },
		{ "{\n  \"a\" 1}", "2:7: expected ':' after member name \"a\", found '1'" },
		{ "{\"a\":}", "1:6: expected a value, found '}'" },
		{ "{\"a\\u0000b\":1}", "1:2: member names containing \\u0000 are not supported" },
		{ "// note\n1", "1:1: expected a value, found '/'" },
		{ "\"abc", "1:1: string not closed before the end of input" },
		{ "\"abc\\", "1:1: string not closed before the end of input" },
		{ "\"a\tb\"", "1:3: control character U+0009 in a string (must be written as an escape)" },
		{ "\"a\nb\"", "1:3: control character U+000A in a string (must be written as an escape)" },
		{ "\"\\x\"", "1:2: unknown escape \\x in a string" },
		{ "\"\\\x01\"", "1:2: a backslash followed by byte 0x01 in a string" },
		{ "\"\\u12\"", "1:2: \\u must be followed by four hex digits" },
		{ "\"\\u12G4\"", "1:2: \\u must be followed by four hex digits" },
		{ "\"\\ud800\"", "1:2: \\ud800 is a high surrogate without a low one after it" },
		{ "\"\\ud800\\u0041\"", "1:2: \\ud800 is a high surrogate without a low one after it" },
		{ "\"\\udc00\"", "1:2: \\udc00 is a low surrogate without a high one before it" },
		{ "\"\xff\"", "1:2: invalid UTF-8 in a string (byte 0xff)" },
		{ "\"\xc0\x80\"", "1:2: invalid UTF-8 in a string (byte 0xc0)" },
		{ "\"\xed\xa0\x80\"", "1:2: invalid UTF-8 in a string (byte 0xed)" },
		{ "\"\xf4\x90\x80\x80\"", "1:2: invalid UTF-8 in a string (byte 0xf4)" },
		{ "\"\xe2\x82\"", "1:2: invalid UTF-8 in a string (byte 0xe2)" },
		{ "\xe2\x82\xac", "1:1: expected a value, found byte 0xe2" },
		/* Columns count characters, not bytes. */
		{ "[\"\xc3\xa9\xe2\x82\xac\", x]", "1:8: expected a value, found 'x'" },
		{ "[1,\n 2,\r\n\t3 4]", "3:4: expected ',' or ']' after an array element, found '4'" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) err = NULL;
		SocJson *v = soc_json_parse(cases[i].in, -1, &err);
		if (v)
			g_error("'%s' was accepted", cases[i].in);
		g_assert_error(err, SOC_ERROR, SOC_ERROR_USAGE);
		g_assert_cmpstr(err->message, ==, cases[i].msg);
	}
	/* No GError asked for: still refused. */
	g_assert_null(soc_json_parse("[", -1, NULL));
}

/* ---- random and truncated inputs -------------------------------------------------------------- */

static const char *const samples[] = {
	"{\"socemu\":\"0.1.0\",\"clusters\":[{\"name\":\"cpus\",\"cpus\":[{\"path\":\"/cpus/cpu@0\","
	"\"clock-frequency\":100000000,\"state\":\"halted\"}],\"address-map\":null}],\"ok\":true}",
	"[1,-2.5e-3,\"\\u00e9\\ud83d\\ude00\\n\",{\"a\":[[],{}]},false,null,0]",
	"{\"execute\":\"set-limits\",\"arguments\":{\"timeout\":\"2s\",\"max-insns\":1000}}",
	"[\"h\xc3\xa9\",\"\\\"\\\\\\/\\b\\f\\r\\t\",1e5,12345678901234567890]",
};

/* Whatever the input, parsing either fails with a positioned message or gives a value that
 * writes and reads back to the same text. */
static void check_any_input(const char *buf, size_t len)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(SocJson) v = soc_json_parse(buf, (gssize)len, &err);

	if (!v) {
		unsigned line, col;
		char c;
		g_assert_nonnull(err);
		g_assert_true(sscanf(err->message, "%u:%u%c", &line, &col, &c) == 3 && c == ':');
		g_assert_cmpuint(line, >=, 1);
		g_assert_cmpuint(col, >=, 1);
		return;
	}
	g_assert_no_error(err);
	for (int fmt = 0; fmt < 2; fmt++) {
		g_autofree char *once = soc_json_to_string(v, fmt ? SOC_JSON_PRETTY : SOC_JSON_COMPACT);
		g_autoptr(SocJson) again = soc_json_parse(once, -1, &err);
		g_autofree char *twice = NULL;
		g_assert_no_error(err);
		twice = soc_json_to_string(again, fmt ? SOC_JSON_PRETTY : SOC_JSON_COMPACT);
		g_assert_cmpstr(once, ==, twice);
	}
}

static void test_truncated(void)
{
	for (size_t s = 0; s < G_N_ELEMENTS(samples); s++) {
		size_t n = strlen(samples[s]);
		g_autoptr(SocJson) whole = soc_json_parse(samples[s], -1, NULL);
		g_assert_nonnull(whole);
		/* Every proper prefix of an array or object is incomplete. */
		for (size_t k = 0; k < n; k++) {
			g_autofree char *copy = g_strndup(samples[s], k);   /* no bytes past the end */
			g_autoptr(GError) err = NULL;
			g_autoptr(SocJson) v = soc_json_parse(copy, (gssize)k, &err);
			g_assert_null(v);
			g_assert_nonnull(err);
		}
	}
}

static void test_random_bytes(void)
{
	g_autoptr(GRand) r = g_rand_new_with_seed(7);
	static const char alphabet[] = "{}[]\":,.-+eE0123456789 \n\\/utrfalsn\x01\xc3\xa9\xff";

	for (int i = 0; i < 20000; i++) {
		size_t len = (size_t)g_rand_int_range(r, 0, 48);
		g_autofree char *buf = g_malloc(len ? len : 1);
		bool any_byte = i % 4 == 0;
		for (size_t k = 0; k < len; k++)
			buf[k] = any_byte ? (char)g_rand_int_range(r, 0, 256)
			                  : alphabet[g_rand_int_range(r, 0, (gint32)sizeof(alphabet) - 1)];
		check_any_input(buf, len);
	}
}

static void test_mutations(void)
{
	g_autoptr(GRand) r = g_rand_new_with_seed(11);
	unsigned accepted = 0;

	for (int i = 0; i < 20000; i++) {
		const char *src = samples[(size_t)i % G_N_ELEMENTS(samples)];
		GArray *b = g_array_new(FALSE, FALSE, 1);
		int edits = g_rand_int_range(r, 1, 4);
		g_array_append_vals(b, src, (guint)strlen(src));
		for (int e = 0; e < edits && b->len; e++) {
			guint at = (guint)g_rand_int_range(r, 0, (gint32)b->len);
			char byte = (char)g_rand_int_range(r, 0, 256);
			switch (g_rand_int_range(r, 0, 3)) {
			case 0: g_array_index(b, char, at) = byte; break;
			case 1: g_array_remove_index(b, at); break;
			default: g_array_insert_val(b, at, byte); break;
			}
		}
		{
			g_autoptr(SocJson) v = soc_json_parse(b->data, (gssize)b->len, NULL);
			accepted += v != NULL;
		}
		check_any_input(b->data, b->len);
		g_array_unref(b);
	}
	g_test_message("%u of 20000 mutated documents were still valid JSON", accepted);
	/* The mutations must exercise both outcomes for the test to mean anything. */
	g_assert_cmpuint(accepted, >, 100);
	g_assert_cmpuint(accepted, <, 19000);
}

/* ---- the command table reads its arguments as JSON ------------------------------------------- */

static void expect_command_error(SocSession *s, const char *cmd, const char *args, const char *msg)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(SocJson) a = args ? soc_json_parse(args, -1, &err) : NULL;
	SocJson *res = (SocJson *)&res;     /* must be reset even on failure */

	g_assert_no_error(err);
	g_assert_false(soc_command_execute(s, cmd, a, &res, &err));
	g_assert_null(res);
	g_assert_error(err, SOC_ERROR, SOC_ERROR_USAGE);
	g_assert_cmpstr(err->message, ==, msg);
}

static void test_command_arguments(void)
{
	SocSession *s = soc_session_new(NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(SocJson) a = soc_json_parse("{\"timeout\":\"2s\",\"max-insns\":5,\"quantum\":\"1ms\"}", -1, NULL);
	SocJson *res = NULL;

	g_assert_true(soc_command_execute(s, "set-limits", a, &res, &err));
	g_assert_no_error(err);
	g_assert_cmpint(soc_json_type(res), ==, SOC_JSON_NULL);
	soc_json_free(res);
	g_assert_true(soc_command_execute(s, "set-semihosting", NULL, NULL, &err));
	g_assert_no_error(err);

	expect_command_error(s, "set-limits", "{\"max-insns\":\"5\"}", "set-limits: argument 'max-insns' must be an integer");
	expect_command_error(s, "set-limits", "{\"max-insns\":5.0}", "set-limits: argument 'max-insns' must be an integer");
	expect_command_error(s, "set-limits", "{\"timeout\":2}", "set-limits: argument 'timeout' must be a string");
	expect_command_error(s, "set-semihosting", "{\"enabled\":1}", "set-semihosting: argument 'enabled' must be a boolean");
	expect_command_error(s, "set-limits", "{\"bogus\":1}", "set-limits: unknown argument 'bogus'");
	expect_command_error(s, "add-image", "{}", "add-image: missing argument 'path'");
	expect_command_error(s, "add-image", "{\"path\":\"a.elf\\u0000.txt\"}",
	                     "add-image: argument 'path' contains a NUL character");
	expect_command_error(s, "add-image", "[\"x.elf\"]", "add-image: the arguments must be an object, not a JSON array");
	expect_command_error(s, "set-limits", "{\"max-insns\":0}", "-max-insns: must be a positive count");
	expect_command_error(s, "no-such", NULL, "unknown command 'no-such'");
	expect_command_error(s, "run", NULL, "run: the machine is not built yet");
	soc_session_free(s);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/json/value/scalars", test_scalars);
	g_test_add_func("/json/value/object-order-and-replace", test_object_order_and_replace);
	g_test_add_func("/json/value/large-object", test_large_object);
	g_test_add_func("/json/write/pretty", test_write_pretty);
	g_test_add_func("/json/write/escapes", test_write_escapes);
	g_test_add_func("/json/write/numbers", test_write_numbers);
	g_test_add_func("/json/parse/values", test_parse_values);
	g_test_add_func("/json/parse/types", test_parse_types);
	g_test_add_func("/json/parse/explicit-length", test_parse_length);
	g_test_add_func("/json/parse/depth-limit", test_parse_depth);
	g_test_add_func("/json/parse/errors", test_parse_errors);
	g_test_add_func("/json/fuzz/truncated", test_truncated);
	g_test_add_func("/json/fuzz/random-bytes", test_random_bytes);
	g_test_add_func("/json/fuzz/mutations", test_mutations);
	g_test_add_func("/json/command/arguments", test_command_arguments);
	return g_test_run();
}
