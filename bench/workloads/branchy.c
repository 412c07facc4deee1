/* branchy.c — unpredictable control flow: a stack-machine bytecode interpreter (switch
 * dispatch, data-dependent jumps) computing Collatz chain lengths, and a character-class
 * state machine tokenizing generated text; argv[1] rounds of both. */
#include <stdint.h>
#include "bench.h"

enum op { OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_SHR, OP_DUP,
	  OP_DROP, OP_JZ, OP_JMP, OP_LT, OP_HALT };

/* locals: 0 = n (the start value), 1 = x, 2 = steps, 3 = total steps, 4 = limit.
 * The program is built at start-up rather than written as an array literal so that jump
 * targets are computed, not counted by hand. */
static int32_t code[128];
static unsigned code_len;

static void emit(int32_t v)
{
	code[code_len++] = v;
}

static void build_program(void)
{
	unsigned outer, inner, even, join, done, body_end, jz_outer, jz_inner, jz_even, jmp_join;

	emit(OP_PUSH); emit(1); emit(OP_STORE); emit(0);
	outer = code_len;
	emit(OP_LOAD); emit(0); emit(OP_LOAD); emit(4); emit(OP_LT); emit(OP_JZ); jz_outer = code_len; emit(0);
	emit(OP_LOAD); emit(0); emit(OP_STORE); emit(1); emit(OP_PUSH); emit(0); emit(OP_STORE); emit(2);
	inner = code_len;
	emit(OP_PUSH); emit(1); emit(OP_LOAD); emit(1); emit(OP_LT); emit(OP_JZ); jz_inner = code_len; emit(0);
	emit(OP_LOAD); emit(1); emit(OP_PUSH); emit(1); emit(OP_AND); emit(OP_JZ); jz_even = code_len; emit(0);
	emit(OP_LOAD); emit(1); emit(OP_PUSH); emit(3); emit(OP_MUL); emit(OP_PUSH); emit(1); emit(OP_ADD);
	emit(OP_JMP); jmp_join = code_len; emit(0);
	even = code_len;
	emit(OP_LOAD); emit(1); emit(OP_PUSH); emit(1); emit(OP_SHR);
	join = code_len;
	emit(OP_STORE); emit(1);
	emit(OP_LOAD); emit(2); emit(OP_PUSH); emit(1); emit(OP_ADD); emit(OP_STORE); emit(2);
	emit(OP_JMP); emit((int32_t)inner);
	body_end = code_len;
	emit(OP_LOAD); emit(3); emit(OP_LOAD); emit(2); emit(OP_ADD); emit(OP_STORE); emit(3);
	emit(OP_LOAD); emit(0); emit(OP_PUSH); emit(1); emit(OP_ADD); emit(OP_STORE); emit(0);
	emit(OP_JMP); emit((int32_t)outer);
	done = code_len;
	emit(OP_HALT);
	code[jz_outer] = (int32_t)done;
	code[jz_inner] = (int32_t)body_end;
	code[jz_even] = (int32_t)even;
	code[jmp_join] = (int32_t)join;
}

static int32_t interpret(int32_t limit)
{
	int32_t stack[16], locals[8] = { 0 };
	unsigned sp = 0, pc = 0;

	locals[4] = limit;
	for (;;) {
		int32_t a, b;
		switch ((enum op)code[pc++]) {
		case OP_PUSH: stack[sp++] = code[pc++]; break;
		case OP_LOAD: stack[sp++] = locals[code[pc++] & 7]; break;
		case OP_STORE: locals[code[pc++] & 7] = stack[--sp]; break;
		case OP_ADD: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a + b; break;
		case OP_SUB: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a - b; break;
		case OP_MUL: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a * b; break;
		case OP_AND: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a & b; break;
		case OP_SHR: b = stack[--sp]; a = stack[--sp]; stack[sp++] = (int32_t)((uint32_t)a >> b); break;
		case OP_LT: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a < b; break;
		case OP_DUP: a = stack[sp - 1]; stack[sp++] = a; break;
		case OP_DROP: sp--; break;
		case OP_JZ: a = stack[--sp]; pc = a ? pc + 1 : (unsigned)code[pc]; break;
		case OP_JMP: pc = (unsigned)code[pc]; break;
		case OP_HALT: return locals[3];
		default: return -1;
		}
		sp &= 15;
	}
}

/* A tokenizer: words, numbers, punctuation and spaces, one state per class. */
enum state { ST_SPACE, ST_WORD, ST_NUMBER, ST_PUNCT };
static char text[1024];

static uint32_t tokenize(const char *p, unsigned n)
{
	enum state st = ST_SPACE;
	uint32_t words = 0, numbers = 0, puncts = 0, value = 0, hash = 0;

	for (unsigned i = 0; i < n; i++) {
		char c = p[i];
		switch (st) {
		case ST_SPACE:
		case ST_PUNCT:
			if (c >= 'a' && c <= 'z') { st = ST_WORD; words++; hash = hash * 33 + (uint32_t)c; }
			else if (c >= '0' && c <= '9') { st = ST_NUMBER; numbers++; value = (uint32_t)(c - '0'); }
			else if (c == ' ') st = ST_SPACE;
			else { st = ST_PUNCT; puncts++; }
			break;
		case ST_WORD:
			if (c >= 'a' && c <= 'z') hash = hash * 33 + (uint32_t)c;
			else if (c == ' ') st = ST_SPACE;
			else if (c >= '0' && c <= '9') { st = ST_NUMBER; numbers++; value = (uint32_t)(c - '0'); }
			else { st = ST_PUNCT; puncts++; }
			break;
		case ST_NUMBER:
			if (c >= '0' && c <= '9') value = value * 10 + (uint32_t)(c - '0');
			else {
				hash ^= value;
				if (c == ' ') st = ST_SPACE;
				else if (c >= 'a' && c <= 'z') { st = ST_WORD; words++; hash = hash * 33 + (uint32_t)c; }
				else { st = ST_PUNCT; puncts++; }
			}
			break;
		}
	}
	return hash + words * 7 + numbers * 13 + puncts * 17;
}

int main(int argc, char **argv)
{
	unsigned long iters = bench_arg(argc, argv, 1, 20);
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789 ,.;:!?()";
	uint32_t seed = 2463534242u, sum = 0;

	build_program();
	for (unsigned i = 0; i < sizeof text; i++) {
		seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5;
		text[i] = alphabet[seed % (sizeof alphabet - 1)];
	}
	for (unsigned long it = 0; it < iters; it++) {
		sum += (uint32_t)interpret(64 + (int32_t)(it & 31));
		text[it % sizeof text] = alphabet[(it * 7) % (sizeof alphabet - 1)];
		sum += tokenize(text, sizeof text);
	}
	bench_report("branchy", iters, 0, sum);
	return 0;
}
