/* cpus/riscv/mem.c — memory paths of the RISC-V harts: software TLB, slow-path accesses,
 * LR/SC and AMOs, and the decoded-block cache with its invalidation.
 *
 * Coherence of decoded code: every block's bytes are marked as code in their RAM block
 * (soc_ram_mark_code) and the hart listens to writes on that RAM block. Writes reach marked
 * granules only through paths that notify: soc_as_write*, our slow path, or our "notify" TLB
 * entries (tag_wn), which we use for every page holding marks. When a page gets its first
 * mark (by any CPU, of any family), the block's page listeners run and every hart drops its
 * fast write entry for it (shootdown), so no hart keeps writing it silently. The listener drops exactly the blocks overlapping the written bytes
 * and asks the running hart to leave its current block after the store.
 *
 * LR/SC: the reserved granule is marked the same way, so that any write to it from another
 * hart, a device (soc_as_write) or the debugger reaches our listener and breaks the
 * reservation. The reserving hart's own stores do not break it (the spec allows either);
 * SC succeeds only for the address and size of the last LR. */
#include "cpus/riscv/internal.h"
#include "core/log.h"

#include <string.h>

#define ARENA_CHUNK (256u * 1024u)
#define ARENA_LIMIT (32u * 1024u * 1024u)

static RvBlock no_block = { .pc = 1 };   /* odd: never equal to a pc */

static void code_written(void *opaque, SocRamBlock *blk, uint64_t offset, uint64_t len);
static void listen_to(RvCpu *cpu, SocRamBlock *blk);

/* ---- TLB ---------------------------------------------------------------------------------- */

/* The tables of each privilege are emptied when that privilege is next used (rv_priv_tables),
 * not all at once: a hart that never leaves M touches one TLB of the four, which matters for
 * short runs (each table is 128 KiB of page faults). Side entries are only read for valid
 * tags, so they are never cleared. */
void rv_tlb_flush(RvCpu *cpu)
{
	cpu->tlb_ready = 0;
	rv_priv_tables(cpu);
}

void rv_priv_tables(RvCpu *cpu)
{
	unsigned dp = rv_data_priv(cpu), p = cpu->priv;
	if (!(cpu->tlb_ready & (1u << dp))) {
		for (unsigned i = 0; i < RV_TLB_SIZE; i++) {
			RvTlbEntry *e = &cpu->tlb[dp][i];
			e->tag_r = e->tag_w = e->tag_wn = RV_TLB_INVALID;
		}
		cpu->tlb_ready |= (uint8_t)(1u << dp);
	}
	if (!(cpu->jc_ready & (1u << p))) {
		for (unsigned i = 0; i < RV_JC_SIZE; i++)
			cpu->jcache[p][i] = &no_block;
		cpu->jc_ready |= (uint8_t)(1u << p);
	}
}

static bool block_range_has_code(SocRamBlock *blk, uint64_t off, uint64_t len)
{
	uint64_t last = off + len - 1;
	for (uint64_t p = off & ~(SOC_PAGE_SIZE - 1); p <= last; p += SOC_PAGE_SIZE)
		if (soc_ram_page_has_code(blk, p))
			return true;
	return false;
}

static void tlb_fill(RvCpu *cpu, uint64_t addr, unsigned priv)
{
	uint64_t page = addr & RV_PAGE_MASK, avail, boff;
	SocRamBlock *blk;
	uint8_t *host = soc_as_ram_ptr(cpu->common.as, page, &avail, &blk, &boff);
	RvTlbEntry *e;
	unsigned idx;
	int perm;
	bool writable;

	if (!host || avail < SOC_PAGE_SIZE)
		return;
	perm = rv_pmp_page(cpu, page, priv);
	if (perm < 0)
		return;
	idx = (page >> SOC_PAGE_BITS) & (RV_TLB_SIZE - 1);
	e = &cpu->tlb[priv][idx];
	writable = (perm & PMP_W) && !soc_ram_read_only(blk);
	if (writable)
		listen_to(cpu, blk);   /* hear when this page gets code, before writing it fast */
	e->tag_r = (perm & PMP_R) ? page : RV_TLB_INVALID;
	e->tag_wn = writable ? page : RV_TLB_INVALID;
	e->tag_w = writable && !block_range_has_code(blk, boff, SOC_PAGE_SIZE) ? page : RV_TLB_INVALID;
	e->addend = (uintptr_t)host - (uintptr_t)page;
	cpu->tlb_side[priv][idx].blk = blk;
	cpu->tlb_side[priv][idx].blk_off = boff;
}

/* The page at block offset `page` now holds code: this hart may not keep writing it
 * silently (a page listener of the RAM block, registered by listen_to). */
static void page_gained_code(void *opaque, SocRamBlock *blk, uint64_t page)
{
	RvCpu *c = opaque;
	for (unsigned p = 0; p < 4; p++)
		for (unsigned i = 0; (c->tlb_ready & (1u << p)) && i < RV_TLB_SIZE; i++) {
			RvTlbEntry *e = &c->tlb[p][i];
			RvTlbSide *sd = &c->tlb_side[p][i];
			if (sd->blk == blk && e->tag_w != RV_TLB_INVALID &&
			    sd->blk_off < page + SOC_PAGE_SIZE && sd->blk_off + SOC_PAGE_SIZE > page)
				e->tag_w = RV_TLB_INVALID;
		}
}

static void listen_to(RvCpu *cpu, SocRamBlock *blk)
{
	for (guint i = 0; i < cpu->listened->len; i++)
		if (cpu->listened->pdata[i] == blk)
			return;
	soc_ram_add_code_listener(blk, code_written, cpu);
	soc_ram_add_page_listener(blk, page_gained_code, cpu);
	g_ptr_array_add(cpu->listened, soc_ram_ref(blk));
}

static void mark_code(RvCpu *cpu, SocRamBlock *blk, uint64_t off, uint64_t len)
{
	listen_to(cpu, blk);
	soc_ram_mark_code(blk, off, len);
}

/* ---- decoded blocks ----------------------------------------------------------------------- */

static void *arena_alloc(RvCpu *cpu, size_t size)
{
	void *p;
	size = (size + 15) & ~(size_t)15;
	if (!cpu->arena || cpu->arena_used + size > ARENA_CHUNK) {
		if (cpu->arena_total + ARENA_CHUNK > ARENA_LIMIT)
			return NULL;
		cpu->arena = g_slist_prepend(cpu->arena, g_malloc(ARENA_CHUNK));
		cpu->arena_used = 0;
		cpu->arena_total += ARENA_CHUNK;
	}
	p = (uint8_t *)cpu->arena->data + cpu->arena_used;
	cpu->arena_used += size;
	return p;
}

void rv_unchain(RvCpu *cpu)
{
	cpu->chain_epoch++;
	cpu->chain_tag = cpu->chain_epoch << 2 | cpu->priv;
}

void rv_jc_flush(RvCpu *cpu)
{
	rv_unchain(cpu);
	cpu->jc_ready = 0;
	rv_priv_tables(cpu);
}

void rv_code_flush(RvCpu *cpu)
{
	/* No block was built since the last flush (or ever): the hash table is already empty. */
	if (cpu->arena)
		memset(cpu->htab, 0, sizeof(cpu->htab));
	g_slist_free_full(cpu->arena, g_free);
	cpu->arena = NULL;
	cpu->arena_used = cpu->arena_total = 0;
	rv_jc_flush(cpu);
	g_hash_table_remove_all(cpu->code_pages);
	rv_jit_reset(cpu);
}

static inline unsigned hash_index(uint64_t pc)
{
	return (unsigned)(((pc >> 1) ^ (pc >> (RV_HASH_BITS + 1))) & (RV_HASH_SIZE - 1));
}

static RvBlock *hash_find(RvCpu *cpu, uint64_t pc)
{
	for (RvBlock *b = cpu->htab[hash_index(pc)]; b; b = b->hnext)
		if (b->pc == pc)
			return b;
	return NULL;
}

/* Where a block hangs in the chain of host page `key`. */
typedef struct {
	RvBlock *next[4];
	uintptr_t key[4];
	unsigned n;
} PageLinks;

/* Blocks carry their op infos, page links and exits after their ops (see build_block). */
static PageLinks *links_of(RvBlock *b)
{
	return (PageLinks *)(void *)&b->info[b->n_insns + 1];
}

static RvBlock **page_head(RvCpu *cpu, uintptr_t key, bool create)
{
	RvBlock **head = g_hash_table_lookup(cpu->code_pages, (gpointer)key);
	if (!head && create) {
		head = g_new0(RvBlock *, 1);
		g_hash_table_insert(cpu->code_pages, (gpointer)key, head);
	}
	return head;
}

static RvBlock *link_next(RvBlock *b, uintptr_t key)
{
	PageLinks *l = links_of(b);
	for (unsigned i = 0; i < l->n; i++)
		if (l->key[i] == key)
			return l->next[i];
	return NULL;
}

static void link_set_next(RvBlock *b, uintptr_t key, RvBlock *next)
{
	PageLinks *l = links_of(b);
	for (unsigned i = 0; i < l->n; i++)
		if (l->key[i] == key)
			l->next[i] = next;
}

static void kill_block(RvCpu *cpu, RvBlock *b)
{
	RvBlock **pp = &cpu->htab[hash_index(b->pc)];
	b->dead = true;
	while (*pp && *pp != b)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = b->hnext;
	for (unsigned p = 0; p < 4; p++)
		if (cpu->jcache[p][RV_JC_INDEX(b->pc)] == b)
			cpu->jcache[p][RV_JC_INDEX(b->pc)] = &no_block;
}

static bool overlaps(const RvBlock *b, uintptr_t lo, uintptr_t hi)
{
	for (unsigned s = 0; s < 2; s++)
		if (b->host_hi[s] && b->host_lo[s] < hi && lo < b->host_hi[s])
			return true;
	return false;
}

/* Drop the blocks decoded from host bytes [lo, hi); true if any was dropped. */
static bool invalidate_range(RvCpu *cpu, uintptr_t lo, uintptr_t hi)
{
	bool any = false;
	for (uintptr_t key = lo & ~(uintptr_t)(SOC_PAGE_SIZE - 1); key < hi; key += SOC_PAGE_SIZE) {
		RvBlock **head = page_head(cpu, key, false);
		RvBlock *keep = NULL, *b, *next;
		if (!head)
			continue;
		for (b = *head; b; b = next) {
			next = link_next(b, key);
			if (!b->dead && overlaps(b, lo, hi)) {
				kill_block(cpu, b);
				any = true;
			}
			if (b->dead)
				continue;
			link_set_next(b, key, keep);
			keep = b;
		}
		if (keep)
			*head = keep;
		else
			g_hash_table_remove(cpu->code_pages, (gpointer)key);
	}
	return any;
}

static void code_written(void *opaque, SocRamBlock *blk, uint64_t offset, uint64_t len)
{
	RvCpu *cpu = opaque;
	uintptr_t lo = (uintptr_t)soc_ram_host(blk) + offset, hi = lo + len;

	if (cpu->res_valid && cpu->res_host && (uintptr_t)cpu->res_host < hi &&
	    lo < (uintptr_t)cpu->res_host + cpu->res_size) {
		if (cpu->self_store)
			soc_ram_mark_code(blk, (uint64_t)(cpu->res_host - soc_ram_host(blk)), cpu->res_size);
		else
			cpu->res_valid = false;
	}
	if (invalidate_range(cpu, lo, hi)) {
		rv_unchain(cpu);
		cpu->exit_req = true;
	}
}

static bool is_terminator(unsigned exec)
{
	switch (exec) {
	case RV_OP_JAL: case RV_OP_JALR: case RV_OP_ECALL: case RV_OP_EBREAK:
	case RV_OP_CSRRW: case RV_OP_CSRRS: case RV_OP_CSRRC:
	case RV_OP_CSRRWI: case RV_OP_CSRRSI: case RV_OP_CSRRCI:
	case RV_OP_MRET: case RV_OP_SRET: case RV_OP_WFI: case RV_OP_SFENCE_VMA: case RV_OP_FENCE_I:
	case RV_OP_ILLEGAL:
		return true;
	default:
		return false;
	}
}

/* Operations whose only effect is writing rd: with rd = x0 they do nothing. */
static bool is_pure(unsigned exec)
{
	switch (exec) {
	case RV_OP_LUI: case RV_OP_AUIPC: case RV_OP_ADDI: case RV_OP_SLTI: case RV_OP_SLTIU:
	case RV_OP_XORI: case RV_OP_ORI: case RV_OP_ANDI: case RV_OP_SLLI: case RV_OP_SRLI:
	case RV_OP_SRAI: case RV_OP_ADD: case RV_OP_SUB: case RV_OP_SLL: case RV_OP_SLT:
	case RV_OP_SLTU: case RV_OP_XOR: case RV_OP_SRL: case RV_OP_SRA: case RV_OP_OR: case RV_OP_AND:
	case RV_OP_ADDIW: case RV_OP_SLLIW: case RV_OP_SRLIW: case RV_OP_SRAIW: case RV_OP_ADDW:
	case RV_OP_SUBW: case RV_OP_SLLW: case RV_OP_SRLW: case RV_OP_SRAW:
	case RV_OP_MUL: case RV_OP_MULH: case RV_OP_MULHSU: case RV_OP_MULHU: case RV_OP_DIV:
	case RV_OP_DIVU: case RV_OP_REM: case RV_OP_REMU: case RV_OP_MULW: case RV_OP_DIVW:
	case RV_OP_DIVUW: case RV_OP_REMW: case RV_OP_REMUW: case RV_OP_FENCE:
		return true;
	default:
		return false;
	}
}

static bool is_branch(unsigned exec)
{
	return exec == RV_OP_BEQ || exec == RV_OP_BNE || exec == RV_OP_BLT || exec == RV_OP_BGE ||
	       exec == RV_OP_BLTU || exec == RV_OP_BGEU;
}

static void fill_op(const RvCpu *cpu, RvOp *op, RvOpInfo *info, const RvDecoded *d, unsigned idx,
                    unsigned off)
{
	unsigned opc = d->exec;

	op->rd = d->rd;
	op->rs1 = d->rs1;
	op->rs2 = d->rs2;
	op->imm = d->imm;
	op->idx = (uint8_t)idx;
	info->pcoff = (uint16_t)off;
	info->raw = d->raw;
	if (d->exec == RV_OP_FENCE || (d->rd == 0 && is_pure(d->exec)))
		opc = RV_UOP_NOP;
	else if (d->rd == 0)
		op->rd = RV_SINK;
	if (!cpu->has_c) {
		/* Without C, pc is always 4-aligned: a target is misaligned when imm[1] is set. */
		if (d->exec == RV_OP_JAL && (d->imm & 2))
			opc = RV_UOP_JAL_MIS;
		else if (is_branch(d->exec) && (d->imm & 2))
			opc = RV_UOP_BR_MIS;
		else if (d->exec == RV_OP_JALR)
			opc = RV_UOP_JALR4;
	}
	/* Direct targets become offsets from the block's pc. */
	if (is_branch(opc) || opc == RV_UOP_BR_MIS || opc == RV_OP_JAL || opc == RV_UOP_JAL_MIS)
		op->imm += (int32_t)off;
	info->opc = (uint16_t)opc;
}

static void fill_end(RvOp *op, RvOpInfo *info, unsigned idx, unsigned off)
{
	memset(op, 0, sizeof(*op));
	op->idx = (uint8_t)idx;
	op->imm = (int32_t)off;
	info->pcoff = (uint16_t)off;
	info->opc = RV_UOP_END;
	info->raw = 0;
}

static inline uint16_t rd16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

/* Decode the block at pc; NULL after raising an instruction access fault. */
static RvBlock *build_block(RvCpu *cpu, uint64_t pc)
{
	RvOp ops[RV_BLOCK_MAX + 1];
	RvOpInfo infos[RV_BLOCK_MAX + 1];
	uint64_t avail, boff, avail2 = 0, boff2 = 0;
	SocRamBlock *blk, *blk2 = NULL;
	uint8_t *host = soc_as_ram_ptr(cpu->common.as, pc, &avail, &blk, &boff), *host2 = NULL;
	uint64_t page_left = SOC_PAGE_SIZE - (pc & (SOC_PAGE_SIZE - 1));
	uint64_t limit, off = 0;
	unsigned n = 0, n_exits = 0;
	bool ends = false;
	RvBlock *b;
	PageLinks *links;
	size_t size;

	if (!host || avail < 2) {
		rv_raise(cpu, RV_EXC_INSN_ACCESS, pc, pc);
		return NULL;
	}
	limit = MIN(avail, page_left);
	while (n < RV_BLOCK_MAX && !ends && off + 2 <= limit) {
		uint32_t raw = rd16(host + off);
		RvDecoded d;
		if ((raw & 3) == 3) {
			if (off + 4 <= limit) {
				raw |= (uint32_t)rd16(host + off + 2) << 16;
			} else {
				/* The instruction continues on the next page (or window). */
				uint64_t a2 = (pc + off + 2) & cpu->xmask;
				host2 = soc_as_ram_ptr(cpu->common.as, a2, &avail2, &blk2, &boff2);
				if (!host2 || avail2 < 2) {
					host2 = NULL;
					if (n == 0) {
						rv_raise(cpu, RV_EXC_INSN_ACCESS, a2, pc);
						return NULL;
					}
					break;
				}
				raw |= (uint32_t)rd16(host2) << 16;
				ends = true;
			}
		}
		rv_decode(raw, cpu->xlen, cpu->ext, &d);
		fill_op(cpu, &ops[n], &infos[n], &d, n, (unsigned)off);
		off += d.len;
		n++;
		if (is_terminator(d.exec))
			ends = true;
	}
	if (n == 0) {
		/* Nothing could be decoded (pc in a page's last byte: only an odd pc, which reset,
		 * entry and jumps never make): a fetch fault, never a block that retires nothing
		 * and would chain to itself for ever. */
		rv_raise(cpu, RV_EXC_INSN_ACCESS, pc, pc);
		return NULL;
	}
	if (host2)
		off -= 2;   /* bytes on the first page; the straddling half is range 2 */
	/* ops[n] always exists: it falls through when the block does not end with a transfer. */
	fill_end(&ops[n], &infos[n], n, (unsigned)(off + (host2 ? 2 : 0)));
	/* Number the direct exits; point every op at its handler. */
	for (unsigned i = 0; i <= n; i++) {
		if (is_branch(infos[i].opc) || infos[i].opc == RV_UOP_END)
			ops[i].rd = (uint8_t)n_exits++;
		else if (infos[i].opc == RV_OP_JAL)
			ops[i].rs2 = (uint8_t)n_exits++;
		ops[i].h = cpu->handlers[infos[i].opc];
	}

	size = sizeof(RvBlock) + (n + 1) * (sizeof(RvOp) + sizeof(RvOpInfo)) + sizeof(PageLinks) +
	       n_exits * sizeof(RvExit);
	b = arena_alloc(cpu, size);
	if (!b) {
		rv_code_flush(cpu);
		b = arena_alloc(cpu, size);
	}
	memset(b, 0, sizeof(*b));
	b->pc = pc;
	b->n_insns = n;
	b->n_bytes = (uint32_t)(off + (host2 ? 2 : 0));
	memcpy(b->ops, ops, (n + 1) * sizeof(RvOp));
	b->info = (RvOpInfo *)(void *)&b->ops[n + 1];
	memcpy(b->info, infos, (n + 1) * sizeof(RvOpInfo));
	b->host_lo[0] = (uintptr_t)host;
	b->host_hi[0] = (uintptr_t)host + off;
	if (host2) {
		b->host_lo[1] = (uintptr_t)host2;
		b->host_hi[1] = (uintptr_t)host2 + 2;
	}

	/* Index it by every host page its bytes touch. */
	links = links_of(b);
	memset(links, 0, sizeof(*links));
	b->exits = (RvExit *)(links + 1);
	memset(b->exits, 0, n_exits * sizeof(RvExit));
	for (unsigned s = 0; s < 2; s++) {
		if (!b->host_hi[s])
			continue;
		for (uintptr_t key = b->host_lo[s] & ~(uintptr_t)(SOC_PAGE_SIZE - 1); key < b->host_hi[s];
		     key += SOC_PAGE_SIZE) {
			RvBlock **head;
			bool seen = false;
			for (unsigned i = 0; i < links->n; i++)
				seen |= links->key[i] == key;
			if (seen)
				continue;
			head = page_head(cpu, key, true);
			links->key[links->n] = key;
			links->next[links->n] = *head;
			links->n++;
			*head = b;
		}
	}
	b->hnext = cpu->htab[hash_index(pc)];
	cpu->htab[hash_index(pc)] = b;

	if (off)
		mark_code(cpu, blk, boff, off);
	if (host2)
		mark_code(cpu, blk2, boff2, 2);
	return b;
}

/* A copy of the first k instructions of b that then falls through to the next one. */
static RvBlock *truncated(RvCpu *cpu, const RvBlock *b, unsigned k)
{
	RvBlock *s = cpu->scratch;
	s->pc = b->pc;
	s->n_insns = k;
	s->dead = false;
	s->info = cpu->scratch_info;
	memcpy(s->ops, b->ops, k * sizeof(RvOp));
	memcpy(s->info, b->info, k * sizeof(RvOpInfo));
	fill_end(&s->ops[k], &s->info[k], k, b->info[k].pcoff);
	s->ops[k].rd = RV_EXITS_MAX - 1;
	s->ops[k].h = cpu->handlers[RV_UOP_END];
	/* The copy's exits start empty: they must not remember another copy's targets. */
	s->exits = cpu->scratch_exits;
	memset(s->exits, 0, RV_EXITS_MAX * sizeof(RvExit));
	return s;
}

static unsigned info_len(const RvOpInfo *info)
{
	return (info->raw & 3) == 3 ? 4 : 2;
}

RvBlock *rv_block_for_pc(RvCpu *cpu)
{
	uint64_t pc = cpu->pc;
	uint64_t room = cpu->common.stop_at - cpu->common.insns;
	RvBlock *b;

	/* Compiled code is only ever dropped here, between blocks, where none of it runs. */
	if (RV_UNLIKELY(rv_jit_full(cpu)))
		rv_code_flush(cpu);
	b = cpu->jc[RV_JC_INDEX(pc)];

	if (b->pc != pc) {
		b = hash_find(cpu, pc);
		if (!b) {
			b = build_block(cpu, pc);
			if (!b)
				return NULL;
		}
		if (rv_pmp_check(cpu, pc, b->n_bytes, PMP_X, cpu->priv)) {
			cpu->jc[RV_JC_INDEX(pc)] = b;
		} else {
			/* Run the instructions that may be fetched, fault on the first that may not. */
			unsigned k = 0;
			for (; k < b->n_insns; k++) {
				const RvOpInfo *in = &b->info[k];
				if (!rv_pmp_check(cpu, pc + in->pcoff, info_len(in), PMP_X, cpu->priv))
					break;
			}
			if (k == 0) {
				uint64_t bad = pc;
				if (info_len(&b->info[0]) == 4 && rv_pmp_check(cpu, pc, 2, PMP_X, cpu->priv))
					bad = (pc + 2) & cpu->xmask;
				rv_raise(cpu, RV_EXC_INSN_ACCESS, bad, pc);
				return NULL;
			}
			return truncated(cpu, b, (unsigned)MIN((uint64_t)k, room));
		}
	}
	if (b->n_insns > room)
		return truncated(cpu, b, (unsigned)room);
	return b;
}

void rv_fence_i(RvCpu *cpu)
{
	/* Writes to decoded code are already tracked exactly; fence.i also drops everything so
	 * that nothing decoded before it can survive (and to bound the cache's memory). */
	rv_code_flush(cpu);
}

/* ---- slow paths ----------------------------------------------------------------------------- */

static void sync_device_time(RvCpu *cpu)
{
	soc_events_set_now(cpu->common.events, soc_cpu_local_time(&cpu->common));
}

/* Every byte of [addr, addr+size) is RAM (writable when `write`). */
static bool all_ram(RvCpu *cpu, uint64_t addr, unsigned size, bool write)
{
	for (unsigned i = 0; i < size; i++) {
		const SocWindow *w = soc_as_lookup(cpu->common.as, (addr + i) & cpu->xmask);
		if (!w || (w->kind != SOC_WIN_RAM && (write || w->kind != SOC_WIN_ROM)))
			return false;
	}
	return true;
}

bool rv_load_slow(RvCpu *cpu, uint64_t addr, unsigned size, uint64_t *val)
{
	unsigned priv = rv_data_priv(cpu);
	uint64_t avail, boff;
	SocRamBlock *blk;
	uint8_t *host;
	bool aligned = (addr & (size - 1)) == 0;
	SocMemStatus st;

	*val = 0;
	if (!rv_pmp_check(cpu, addr, size, PMP_R, priv)) {
		rv_raise(cpu, RV_EXC_LOAD_ACCESS, addr, cpu->pc);
		return false;
	}
	host = soc_as_ram_ptr(cpu->common.as, addr, &avail, &blk, &boff);
	if (host && avail >= size) {
		memcpy(val, host, size);
		if (aligned)
			tlb_fill(cpu, addr, priv);
		return true;
	}
	if (!aligned) {
		/* Misaligned RAM accesses are done here; anything else traps as misaligned. */
		uint8_t bytes[8] = { 0 };
		if (all_ram(cpu, addr, size, false)) {
			for (unsigned i = 0; i < size; i++)
				soc_as_read_bytes(cpu->common.as, (addr + i) & cpu->xmask, &bytes[i], 1, NULL);
			memcpy(val, bytes, size);
			return true;
		}
		rv_raise(cpu, RV_EXC_LOAD_MISALIGNED, addr, cpu->pc);
		return false;
	}
	sync_device_time(cpu);
	st = soc_as_read(cpu->common.as, addr, size, val, &cpu->common);
	if (st != SOC_MEM_OK) {
		rv_raise(cpu, RV_EXC_LOAD_ACCESS, addr, cpu->pc);
		return false;
	}
	return true;
}

static void note_own_write(RvCpu *cpu, SocRamBlock *blk, uint64_t off, uint64_t len)
{
	cpu->self_store = true;
	soc_ram_note_write(blk, off, len);
	cpu->self_store = false;
}

void rv_store_notify(RvCpu *cpu, uint64_t addr, unsigned size)
{
	unsigned p = rv_data_priv(cpu), i = (addr >> SOC_PAGE_BITS) & (RV_TLB_SIZE - 1);
	const RvTlbSide *sd = &cpu->tlb_side[p][i];
	note_own_write(cpu, sd->blk, sd->blk_off + (addr & (SOC_PAGE_SIZE - 1)), size);
}

bool rv_store_slow(RvCpu *cpu, uint64_t addr, unsigned size, uint64_t val)
{
	unsigned priv = rv_data_priv(cpu);
	uint64_t avail, boff;
	SocRamBlock *blk;
	uint8_t *host;
	bool aligned = (addr & (size - 1)) == 0;
	SocMemStatus st;

	if (!rv_pmp_check(cpu, addr, size, PMP_W, priv)) {
		rv_raise(cpu, RV_EXC_STORE_ACCESS, addr, cpu->pc);
		return false;
	}
	host = soc_as_ram_ptr(cpu->common.as, addr, &avail, &blk, &boff);
	if (host && avail >= size) {
		if (soc_ram_read_only(blk)) {
			rv_raise(cpu, RV_EXC_STORE_ACCESS, addr, cpu->pc);
			return false;
		}
		memcpy(host, &val, size);
		note_own_write(cpu, blk, boff, size);
		if (aligned)
			tlb_fill(cpu, addr, priv);
		return true;
	}
	if (!aligned) {
		if (all_ram(cpu, addr, size, true)) {
			uint8_t bytes[8];
			memcpy(bytes, &val, sizeof(bytes));
			cpu->self_store = true;
			for (unsigned i = 0; i < size; i++)
				soc_as_write_bytes(cpu->common.as, (addr + i) & cpu->xmask, &bytes[i], 1, NULL);
			cpu->self_store = false;
			return true;
		}
		rv_raise(cpu, RV_EXC_STORE_MISALIGNED, addr, cpu->pc);
		return false;
	}
	sync_device_time(cpu);
	st = soc_as_write(cpu->common.as, addr, size, val, &cpu->common);
	if (st != SOC_MEM_OK) {
		rv_raise(cpu, RV_EXC_STORE_ACCESS, addr, cpu->pc);
		return false;
	}
	return true;
}

bool rv_amo_slow(RvCpu *cpu, uint64_t addr, unsigned size, unsigned opc, uint64_t src, uint64_t *old)
{
	unsigned priv = rv_data_priv(cpu);
	uint64_t avail, boff, nv;
	SocRamBlock *blk;
	uint8_t *host;

	*old = 0;
	if (!rv_pmp_check(cpu, addr, size, PMP_R, priv) || !rv_pmp_check(cpu, addr, size, PMP_W, priv)) {
		rv_raise(cpu, RV_EXC_STORE_ACCESS, addr, cpu->pc);
		return false;
	}
	host = soc_as_ram_ptr(cpu->common.as, addr, &avail, &blk, &boff);
	if (host && avail >= size) {
		if (soc_ram_read_only(blk)) {
			rv_raise(cpu, RV_EXC_STORE_ACCESS, addr, cpu->pc);
			return false;
		}
		memcpy(old, host, size);
		nv = rv_amo_compute(opc, size, *old, src);
		memcpy(host, &nv, size);
		note_own_write(cpu, blk, boff, size);
		tlb_fill(cpu, addr, priv);
		return true;
	}
	/* A device: read then write, with nothing of this hart in between. */
	sync_device_time(cpu);
	if (soc_as_read(cpu->common.as, addr, size, old, &cpu->common) != SOC_MEM_OK) {
		rv_raise(cpu, RV_EXC_STORE_ACCESS, addr, cpu->pc);
		return false;
	}
	nv = rv_amo_compute(opc, size, *old, src);
	if (soc_as_write(cpu->common.as, addr, size, nv, &cpu->common) != SOC_MEM_OK) {
		rv_raise(cpu, RV_EXC_STORE_ACCESS, addr, cpu->pc);
		return false;
	}
	return true;
}

bool rv_lr(RvCpu *cpu, uint64_t addr, unsigned size, uint64_t *val)
{
	unsigned priv = rv_data_priv(cpu);
	uint64_t avail, boff;
	SocRamBlock *blk;
	uint8_t *host;

	*val = 0;
	if (addr & (size - 1)) {
		rv_raise(cpu, RV_EXC_LOAD_MISALIGNED, addr, cpu->pc);
		return false;
	}
	if (!rv_pmp_check(cpu, addr, size, PMP_R, priv)) {
		rv_raise(cpu, RV_EXC_LOAD_ACCESS, addr, cpu->pc);
		return false;
	}
	host = soc_as_ram_ptr(cpu->common.as, addr, &avail, &blk, &boff);
	if (host && avail >= size) {
		memcpy(val, host, size);
		mark_code(cpu, blk, boff, size);
		cpu->res_host = host;
	} else {
		sync_device_time(cpu);
		if (soc_as_read(cpu->common.as, addr, size, val, &cpu->common) != SOC_MEM_OK) {
			rv_raise(cpu, RV_EXC_LOAD_ACCESS, addr, cpu->pc);
			return false;
		}
		cpu->res_host = NULL;
	}
	cpu->res_valid = true;
	cpu->res_addr = addr;
	cpu->res_size = size;
	return true;
}

bool rv_sc(RvCpu *cpu, uint64_t addr, unsigned size, uint64_t val, uint64_t *fail)
{
	bool ok;

	if (addr & (size - 1)) {
		rv_raise(cpu, RV_EXC_STORE_MISALIGNED, addr, cpu->pc);
		return false;
	}
	if (!rv_pmp_check(cpu, addr, size, PMP_W, rv_data_priv(cpu))) {
		rv_raise(cpu, RV_EXC_STORE_ACCESS, addr, cpu->pc);
		return false;
	}
	ok = cpu->res_valid && cpu->res_addr == addr && cpu->res_size == size;
	cpu->res_valid = false;
	*fail = 1;
	if (!ok) {
		/* A failing SC still passes the store's access checks before it retires (the A
		 * extension: "no SC shall retire unless it passes memory permission checks"). */
		const SocWindow *w = soc_as_lookup(cpu->common.as, addr);
		if (!w || w->kind == SOC_WIN_ROM || addr - w->base > w->size - size) {
			rv_raise(cpu, RV_EXC_STORE_ACCESS, addr, cpu->pc);
			return false;
		}
		return true;
	}
	if (!rv_store_slow(cpu, addr, size, val))
		return false;
	*fail = 0;
	return true;
}

/* ---- tracing -------------------------------------------------------------------------------- */

/* -d exec: one line per instruction. Formatting is the cost of tracing, so each line is made
 * once per (pc, bits) and kept whole: a trace of a loop copies finished lines into the log's
 * buffer. The cache is direct-mapped by pc; a zero length marks an empty entry. */
#define TRACE_CACHE 4096
#define TRACE_PREFIX 112                /* "exec: <cpu path> 0x", truncated to fit */
#define TRACE_TEXT 64                   /* disassembly, truncated to fit */

typedef struct {
	uint64_t pc;
	uint32_t raw;
	uint16_t len;
	/* prefix, 16 pc digits, ": ", 8 bits digits, "  ", text, '\n' */
	char line[TRACE_PREFIX + 16 + 2 + 8 + 2 + TRACE_TEXT + 1];
} RvTraceLine;

struct RvTraceCache {
	char prefix[TRACE_PREFIX];
	size_t prefix_len;
	RvTraceLine lines[TRACE_CACHE];
};

/* Two hex digits per lookup. */
#define HEX_ROW(h) h "0" h "1" h "2" h "3" h "4" h "5" h "6" h "7" \
                   h "8" h "9" h "a" h "b" h "c" h "d" h "e" h "f"
static const char hex_pairs[] = HEX_ROW("0") HEX_ROW("1") HEX_ROW("2") HEX_ROW("3")
                                HEX_ROW("4") HEX_ROW("5") HEX_ROW("6") HEX_ROW("7")
                                HEX_ROW("8") HEX_ROW("9") HEX_ROW("a") HEX_ROW("b")
                                HEX_ROW("c") HEX_ROW("d") HEX_ROW("e") HEX_ROW("f");

/* `digits` (even) lowest hex digits of v, most significant first. */
static char *trace_hex(char *p, uint64_t v, unsigned digits)
{
	for (unsigned k = 0; k < digits; k += 2)
		memcpy(p + k, &hex_pairs[2 * ((v >> (4 * (digits - 2 - k))) & 0xff)], 2);
	return p + digits;
}

static void trace_fill(RvCpu *cpu, RvTraceLine *e, uint64_t pc, uint32_t raw)
{
	RvTraceCache *tc = cpu->trace_cache;
	unsigned len = (raw & 3) == 3 ? 4 : 2;
	char *p = e->line;

	memcpy(p, tc->prefix, tc->prefix_len);
	p += tc->prefix_len;
	p = trace_hex(p, pc, cpu->xlen / 4);
	*p++ = ':';
	*p++ = ' ';
	p = trace_hex(p, len == 2 ? raw & 0xffff : raw, len * 2);
	*p++ = ' ';
	*p++ = ' ';
	rv_disas(cpu->xlen, pc, raw, p, TRACE_TEXT);
	p += strlen(p);
	*p++ = '\n';
	e->pc = pc;
	e->raw = raw;
	e->len = (uint16_t)(p - e->line);
}

void rv_trace_insn(RvCpu *cpu, uint64_t pc, uint32_t raw)
{
	RvTraceCache *tc = cpu->trace_cache;
	RvTraceLine *e;

	if (G_UNLIKELY(!tc)) {
		tc = cpu->trace_cache = g_new0(RvTraceCache, 1);
		g_snprintf(tc->prefix, sizeof(tc->prefix), "exec: %s 0x", cpu->common.path);
		tc->prefix_len = strlen(tc->prefix);
	}
	e = &tc->lines[(pc >> 1) & (TRACE_CACHE - 1)];
	if (G_UNLIKELY(e->pc != pc || e->raw != raw || !e->len))
		trace_fill(cpu, e, pc, raw);
	soc_log_write_raw(cpu->common.log, SOC_LOG_EXEC, e->line, e->len);
}

/* ---- life cycle ----------------------------------------------------------------------------- */

void rv_mem_init(RvCpu *cpu)
{
	cpu->code_pages = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	cpu->listened = g_ptr_array_new();
	cpu->scratch = g_malloc0(sizeof(RvBlock) + (RV_BLOCK_MAX + 1) * sizeof(RvOp));
	cpu->scratch_exits = g_new0(RvExit, RV_EXITS_MAX);
	cpu->scratch_info = g_new0(RvOpInfo, RV_BLOCK_MAX + 1);
	if (!rv_exec32_handlers) {
		rv_exec32(NULL);
		rv_exec64(NULL);
	}
	cpu->handlers = cpu->xlen == 32 ? rv_exec32_handlers : rv_exec64_handlers;
	cpu->jit_threshold = rv_jit_threshold_from_env();
	cpu->priv = RV_PRIV_M;   /* as reset leaves it: the tables below are M's */
	rv_code_flush(cpu);
	rv_tlb_flush(cpu);
}

void rv_mem_destroy(RvCpu *cpu)
{
	for (guint i = 0; cpu->listened && i < cpu->listened->len; i++) {
		soc_ram_remove_code_listener(cpu->listened->pdata[i], code_written, cpu);
		soc_ram_remove_page_listener(cpu->listened->pdata[i], page_gained_code, cpu);
		soc_ram_unref(cpu->listened->pdata[i]);
	}
	if (cpu->listened)
		g_ptr_array_free(cpu->listened, TRUE);
	g_slist_free_full(cpu->arena, g_free);
	cpu->arena = NULL;
	rv_jit_destroy(cpu);
	if (cpu->code_pages)
		g_hash_table_destroy(cpu->code_pages);
	g_free(cpu->scratch);
	g_free(cpu->scratch_exits);
	g_free(cpu->scratch_info);
	g_free(cpu->trace_cache);
}
