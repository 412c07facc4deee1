/* core/loader.c — ELF and raw images into an address space (see loader.h). */
#include "core/loader.h"
#include "core/error.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool parse_spec(const char *spec, char **path, uint64_t *addr, bool *raw, GError **err)
{
	const char *at = strrchr(spec, '@');
	*raw = false;
	if (at && at[1]) {
		char *end;
		errno = 0;
		*addr = g_ascii_strtoull(at + 1, &end, 0);
		if (!errno && *end == '\0') {
			*raw = true;
			*path = g_strndup(spec, (gsize)(at - spec));
			return true;
		}
		/* An '@' that is not followed by a number belongs to the file name. */
	}
	*path = g_strdup(spec);
	return true;
}

static bool put(SocAddressSpace *as, uint64_t addr, const void *buf, uint64_t len, const char *what,
                const char *path, GError **err)
{
	uint64_t bad;
	if (len == 0)
		return true;
	if (addr + len - 1 < addr) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE,
		            "%s: %s at 0x%" G_GINT64_MODIFIER "x (0x%" G_GINT64_MODIFIER "x bytes) wraps around the address space",
		            path, what, addr, len);
		return false;
	}
	if (!soc_as_write_bytes(as, addr, buf, len, &bad)) {
		const SocWindow *w = soc_as_lookup(as, bad);
		g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE,
		            "%s: %s at 0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER "x does not fit in RAM or ROM "
		            "of address space %s: 0x%" G_GINT64_MODIFIER "x is %s%s",
		            path, what, addr, addr + len - 1, soc_as_name(as), bad,
		            w ? "a device window of " : "unmapped", w ? w->owner : "");
		return false;
	}
	return true;
}

static bool load_raw(SocAddressSpace *as, const char *path, uint64_t addr, SocImageInfo *info,
                     GError **err)
{
	g_autofree char *data = NULL;
	gsize len;

	if (!g_file_get_contents(path, &data, &len, err)) {
		g_prefix_error(err, "image: ");
		(*err)->code = SOC_ERROR_IMAGE;
		(*err)->domain = SOC_ERROR;
		return false;
	}
	if (!put(as, addr, data, len, "raw image", path, err))
		return false;
	info->low = addr;
	info->high = addr + len;
	return true;
}

static int symbol_cmp(gconstpointer a, gconstpointer b)
{
	const SocSymbol *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void read_symbols(Elf *elf, SocImageInfo *info)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		Elf_Data *data;
		size_t count;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		count = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; i < count; i++) {
			GElf_Sym sym;
			const char *name;
			SocSymbol s;
			if (!gelf_getsym(data, (int)i, &sym))
				break;
			if (GELF_ST_TYPE(sym.st_info) != STT_FUNC && GELF_ST_TYPE(sym.st_info) != STT_OBJECT &&
			    GELF_ST_TYPE(sym.st_info) != STT_NOTYPE)
				continue;
			if (sym.st_shndx == SHN_UNDEF || sym.st_shndx == SHN_ABS)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!name || !*name || name[0] == '$' || !strncmp(name, ".L", 2))
				continue;
			s.addr = info->elf_machine == EM_ARM ? sym.st_value & ~1ULL : sym.st_value;  /* Thumb bit */
			s.size = sym.st_size;
			s.name = g_string_chunk_insert_const(info->names, name);
			g_array_append_val(info->symbols, s);
		}
	}
	g_array_sort(info->symbols, symbol_cmp);
}

static bool load_elf(SocAddressSpace *as, const char *path, int fd, SocImageInfo *info, GError **err)
{
	Elf *elf;
	GElf_Ehdr eh;
	size_t phnum;
	struct stat st;
	bool ok = false;

	if (fstat(fd, &st) != 0) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE, "%s: %s", path, g_strerror(errno));
		return false;
	}
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE,
		            "%s: not an ELF file (for a raw binary, write %s@ADDRESS)", path, path);
		goto out;
	}
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE, "%s: big-endian ELF images are not supported", path);
		goto out;
	}
	if (elf_getphdrnum(elf, &phnum) != 0) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE, "%s: bad program headers: %s", path, elf_errmsg(-1));
		goto out;
	}
	info->elf_machine = eh.e_machine;
	info->elf_class = eh.e_ident[EI_CLASS] == ELFCLASS64 ? 64 : 32;
	info->entry = eh.e_entry;
	info->has_entry = true;
	info->low = UINT64_MAX;
	info->high = 0;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		g_autofree char *what = NULL;
		g_autofree uint8_t *buf = NULL;

		if (!gelf_getphdr(elf, (int)i, &ph)) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE, "%s: bad program header %zu", path, i);
			goto out;
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		what = g_strdup_printf("segment %zu", i);
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > (uint64_t)st.st_size ||
		    ph.p_filesz > (uint64_t)st.st_size - ph.p_offset) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE,
			            "%s: %s claims bytes beyond the end of the file", path, what);
			goto out;
		}
		if (ph.p_memsz > (1ULL << 32)) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE, "%s: %s is implausibly large (0x%" G_GINT64_MODIFIER "x bytes)",
			            path, what, (uint64_t)ph.p_memsz);
			goto out;
		}
		buf = g_malloc0(ph.p_memsz);
		if (ph.p_filesz && pread(fd, buf, ph.p_filesz, (off_t)ph.p_offset) != (ssize_t)ph.p_filesz) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE, "%s: cannot read %s", path, what);
			goto out;
		}
		if (!put(as, ph.p_paddr, buf, ph.p_memsz, what, path, err))
			goto out;
		info->low = MIN(info->low, ph.p_paddr);
		info->high = MAX(info->high, ph.p_paddr + ph.p_memsz);
	}
	if (info->high == 0) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE, "%s: no loadable segment", path);
		goto out;
	}
	read_symbols(elf, info);
	ok = true;
out:
	if (elf)
		elf_end(elf);
	return ok;
}

bool soc_load_image(SocAddressSpace *as, const char *spec, SocImageInfo *info, GError **err)
{
	g_autofree char *path = NULL;
	uint64_t addr = 0;
	bool raw, ok;
	int fd;

	memset(info, 0, sizeof(*info));
	info->symbols = g_array_new(FALSE, FALSE, sizeof(SocSymbol));
	info->names = g_string_chunk_new(4096);
	if (!parse_spec(spec, &path, &addr, &raw, err))
		return false;
	if (raw)
		return load_raw(as, path, addr, info, err);
	if (elf_version(EV_CURRENT) == EV_NONE) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE, "libelf: %s", elf_errmsg(-1));
		return false;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE, "image %s: %s", path, g_strerror(errno));
		return false;
	}
	ok = load_elf(as, path, fd, info, err);
	close(fd);
	return ok;
}

void soc_image_info_clear(SocImageInfo *info)
{
	if (info->symbols)
		g_array_free(info->symbols, TRUE);
	if (info->names)
		g_string_chunk_free(info->names);
	info->symbols = NULL;
	info->names = NULL;
}

char *soc_image_symbolize(const SocImageInfo *info, uint64_t addr)
{
	const SocSymbol *best = NULL;
	if (!info->symbols)
		return NULL;
	for (guint i = 0; i < info->symbols->len; i++) {
		const SocSymbol *s = &g_array_index(info->symbols, SocSymbol, i);
		if (s->addr > addr)
			break;
		if (s->size ? addr < s->addr + s->size : true)
			best = s;
	}
	if (!best)
		return NULL;
	return addr == best->addr ? g_strdup(best->name)
	                          : g_strdup_printf("%s+0x%" G_GINT64_MODIFIER "x", best->name, addr - best->addr);
}
