/* tests/unit/test-riscv-disas.c — socemu's RISC-V disassembler against objdump.
 *
 * A corpus of instruction words (every compressed halfword, random fillings of every 32-bit
 * entry of insns.def, random 32-bit words) is assembled as .hword/.word directives with the
 * cross assembler, the data mapping symbols are stripped so that objdump decodes everything,
 * and objdump -d's text for every word is compared with rv_disas(). objdump's " <symbol>"
 * after addresses and its "# value" comments are dropped before comparing. Skips when the
 * cross tools (RISCV_CC, RISCV_OBJDUMP and the objcopy beside it) are absent. */
#include "cpus/riscv/decode.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#define SEED 0x5eed1234u
#define RANDOM_PER_ENTRY 400
#define RANDOM_WORDS 30000

typedef struct {
	uint32_t raw;
	unsigned len;
} Word;

static char *tool_path(const char *env)
{
	const char *v = g_getenv(env);
	if (v && *v)
		return g_strdup(v);
	return NULL;
}

static bool run(char **argv, char **out_text)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *err_text = NULL;
	int status = 0;

	if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out_text, &err_text,
	                  &status, &err)) {
		g_test_message("cannot run %s: %s", argv[0], err->message);
		return false;
	}
	if (!g_spawn_check_wait_status(status, NULL)) {
		g_test_message("%s failed: %s", argv[0], err_text ? err_text : "");
		return false;
	}
	return true;
}

static GArray *make_corpus(unsigned xlen)
{
	GArray *c = g_array_new(FALSE, FALSE, sizeof(Word));
	GRand *r = g_rand_new_with_seed(SEED + xlen);

	for (uint32_t h = 0; h < 0x10000; h++) {
		Word w = { h, 2 };
		if ((h & 3) != 3)
			g_array_append_val(c, w);
	}
	for (unsigned id = 1; id < RV_OP_COUNT; id++) {
		const RvInsnInfo *e = &rv_insn_info[id];
		if ((e->match & 3) != 3)
			continue;
		for (unsigned k = 0; k < RANDOM_PER_ENTRY; k++) {
			uint32_t bits = g_rand_int(r);
			/* Half the fillings use register 0..2 fields often, to reach the aliases. */
			if (k & 1)
				bits &= g_rand_int(r) & g_rand_int(r);
			Word w = { (bits & ~e->mask) | e->match, 4 };
			g_array_append_val(c, w);
		}
	}
	for (unsigned k = 0; k < RANDOM_WORDS; k++) {
		uint32_t bits = g_rand_int(r) | 3;
		if ((bits & 0x1f) == 0x1f)
			bits &= ~0x10u;   /* not a 48/64-bit prefix */
		Word w = { bits, 4 };
		g_array_append_val(c, w);
	}
	g_rand_free(r);
	return c;
}

/* objdump's text for one line, without the address comment and symbol. */
static char *clean(const char *mnem, const char *ops)
{
	GString *s = g_string_new(mnem);
	if (ops && *ops) {
		const char *hash = strstr(ops, " #");
		const char *sym = strstr(ops, " <");
		size_t n = strlen(ops);
		if (hash && (size_t)(hash - ops) < n)
			n = (size_t)(hash - ops);
		if (sym && (size_t)(sym - ops) < n)
			n = (size_t)(sym - ops);
		g_string_append_c(s, '\t');
		g_string_append_len(s, ops, (gssize)n);
	}
	while (s->len && (s->str[s->len - 1] == ' ' || s->str[s->len - 1] == '\t'))
		g_string_truncate(s, s->len - 1);
	return g_string_free(s, FALSE);
}

static void compare_width(unsigned xlen)
{
	g_autofree char *cc = tool_path("RISCV_CC");
	g_autofree char *objdump = tool_path("RISCV_OBJDUMP");
	g_autofree char *objcopy = NULL;
	g_autofree char *dir = NULL;
	g_autofree char *src = NULL, *obj = NULL, *obj2 = NULL, *listing = NULL;
	g_autoptr(GString) text = g_string_new(".text\n.globl _start\n_start:\n");
	g_autoptr(GArray) corpus = make_corpus(xlen);
	g_autoptr(GHashTable) by_addr = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_auto(GStrv) lines = NULL;
	const char *march = xlen == 64 ? "-march=rv64imac_zicsr_zifencei" : "-march=rv32imac_zicsr_zifencei";
	const char *mabi = xlen == 64 ? "-mabi=lp64" : "-mabi=ilp32";
	unsigned addr = 0, compared = 0, mismatches = 0;

	if (!cc || !objdump) {
		g_test_skip("RISCV_CC or RISCV_OBJDUMP not set (no RISC-V cross tools)");
		return;
	}
	if (g_str_has_suffix(objdump, "objdump")) {
		g_autofree char *prefix = g_strndup(objdump, strlen(objdump) - strlen("objdump"));
		objcopy = g_strconcat(prefix, "objcopy", NULL);
	}
	if (!objcopy || !g_file_test(objcopy, G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_skip("no objcopy beside RISCV_OBJDUMP");
		return;
	}
	g_test_message("corpus seed 0x%x, %u words, RV%u", SEED + xlen, corpus->len, xlen);

	for (guint i = 0; i < corpus->len; i++) {
		Word *w = &g_array_index(corpus, Word, i);
		g_string_append_printf(text, w->len == 2 ? ".hword 0x%04x\n" : ".word 0x%08x\n", w->raw);
		g_hash_table_insert(by_addr, GUINT_TO_POINTER(addr), w);
		addr += w->len;
	}
	dir = g_dir_make_tmp("socemu-disas-XXXXXX", NULL);
	g_assert_nonnull(dir);
	src = g_build_filename(dir, "corpus.s", NULL);
	obj = g_build_filename(dir, "corpus.o", NULL);
	obj2 = g_build_filename(dir, "code.o", NULL);
	g_assert_true(g_file_set_contents(src, text->str, (gssize)text->len, NULL));
	{
		char *argv[] = { cc, (char *)march, (char *)mabi, "-c", src, "-o", obj, NULL };
		g_assert_true(run(argv, NULL));
	}
	{
		char *argv[] = { objcopy, "--strip-symbol=$d", obj, obj2, NULL };
		g_assert_true(run(argv, NULL));
	}
	{
		char *argv[] = { objdump, "-d", obj2, NULL };
		g_assert_true(run(argv, &listing));
	}

	lines = g_strsplit(listing, "\n", -1);
	for (char **l = lines; *l; l++) {
		g_auto(GStrv) f = g_strsplit(*l, "\t", 4);
		char mine[128];
		g_autofree char *theirs = NULL;
		unsigned long a;
		char *end;
		Word *w;

		if (g_strv_length(f) < 3)
			continue;
		a = strtoul(f[0], &end, 16);
		if (end == f[0] || *end != ':')
			continue;
		w = g_hash_table_lookup(by_addr, GUINT_TO_POINTER((unsigned)a));
		if (!w) {
			g_test_message("objdump line at 0x%lx does not start a corpus word: %s", a, *l);
			mismatches++;
			continue;
		}
		theirs = clean(g_strstrip(f[2]), f[3] ? g_strstrip(f[3]) : NULL);
		rv_disas(xlen, a, w->raw, mine, sizeof(mine));
		compared++;
		if (strcmp(mine, theirs) != 0) {
			if (mismatches < (g_getenv("RV_DISAS_ALL") ? 1000000u : 40u))
				g_test_message("RV%u 0x%0*x: socemu \"%s\", objdump \"%s\"", xlen, w->len * 2,
				               w->raw, mine, theirs);
			mismatches++;
		}
	}
	g_test_message("RV%u: %u compared, %u mismatches", xlen, compared, mismatches);
	g_assert_cmpuint(compared, ==, corpus->len);
	g_assert_cmpuint(mismatches, ==, 0);

	g_unlink(src);
	g_unlink(obj);
	g_unlink(obj2);
	g_rmdir(dir);
}

static void test_rv32(void)
{
	compare_width(32);
}

static void test_rv64(void)
{
	compare_width(64);
}

/* The disassembler must stay within its buffer and never read past the word. */
static void test_small_buffer(void)
{
	char buf[8];
	memset(buf, 'x', sizeof(buf));
	g_assert_cmpuint(rv_disas(64, 0, 0x00a50533, buf, 4), ==, 4);
	g_assert_cmpstr(buf, ==, "add");
	g_assert_cmpint(buf[4], ==, 'x');
	g_assert_cmpuint(rv_disas(64, 0, 0x4505, buf, 0), ==, 2);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/riscv/disas/objdump-rv32", test_rv32);
	g_test_add_func("/riscv/disas/objdump-rv64", test_rv64);
	g_test_add_func("/riscv/disas/small-buffer", test_small_buffer);
	return g_test_run();
}
