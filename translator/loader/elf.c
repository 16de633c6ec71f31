/* ELF probing and mapping. Never trusts header values: every offset and
 * size is checked before use. */
#include "elf.h"
#include "../rt/rt.h"
#include <linux/elf.h>
#include <linux/mman.h>
#include <asm-generic/errno.h>

#define ELFOSABI_FREEBSD 9
#define NT_FREEBSD_ABI_TAG 1
#define HDR_MAX 4096

static unsigned char hdr[HDR_MAX];
static long hdr_len;

static const Elf64_Phdr *phdrs(void)
{
	return (const Elf64_Phdr *)(hdr + ((Elf64_Ehdr *)hdr)->e_phoff);
}

/* Finds a FreeBSD ABI note in the PT_NOTE segments (startup.md §1). */
static int has_freebsd_note(int fd)
{
	const Elf64_Ehdr *eh = (Elf64_Ehdr *)hdr;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = &phdrs()[i];
		if (p->p_type != PT_NOTE || p->p_filesz > 4096)
			continue;
		unsigned char buf[4096];
		long n = lsys4(__NR_pread64, fd, buf, p->p_filesz, p->p_offset);
		for (long off = 0; n > 0 && off + 12 <= n;) {
			uint32_t namesz = *(uint32_t *)(buf + off), descsz = *(uint32_t *)(buf + off + 4);
			uint32_t type = *(uint32_t *)(buf + off + 8);
			if (namesz == 8 && type == NT_FREEBSD_ABI_TAG && off + 20 <= n &&
			    memcmp(buf + off + 12, "FreeBSD", 8) == 0)
				return 1;
			off += 12 + ALIGN_UP(namesz, 4) + ALIGN_UP(descsz, 4);
		}
	}
	return 0;
}

enum elf_kind elf_probe(int fd, struct elf_image *img)
{
	memset(img, 0, sizeof *img);
	hdr_len = lsys4(__NR_pread64, fd, hdr, HDR_MAX, 0);
	const Elf64_Ehdr *eh = (Elf64_Ehdr *)hdr;
	if (hdr_len < 4 || memcmp(hdr, ELFMAG, SELFMAG) != 0)
		return img->kind = ELF_NOT_ELF;
	if (hdr_len < (long)sizeof *eh || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64)
		return img->kind = ELF_WRONG_ARCH;
	if ((eh->e_type != ET_EXEC && eh->e_type != ET_DYN) || eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phnum == 0 || eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > (uint64_t)hdr_len)
		return img->kind = ELF_BAD;
	img->phnum = eh->e_phnum;
	img->ehflags = eh->e_flags;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = &phdrs()[i];
		if (p->p_type == PT_INTERP) {
			if (p->p_filesz == 0 || p->p_filesz >= sizeof img->interp)
				return img->kind = ELF_BAD;
			if (lsys4(__NR_pread64, fd, img->interp, p->p_filesz, p->p_offset) != (long)p->p_filesz)
				return img->kind = ELF_BAD;
			img->interp[p->p_filesz] = 0;
		}
	}
	int freebsd = eh->e_ident[EI_OSABI] == ELFOSABI_FREEBSD ||
		      memcmp(eh->e_ident + 8, "FreeBSD", 7) == 0 ||
		      strcmp(img->interp, "/libexec/ld-elf.so.1") == 0 || has_freebsd_note(fd);
	return img->kind = freebsd ? ELF_FREEBSD : ELF_LINUX;
}

static long map_segment(int fd, const Elf64_Phdr *p, uint64_t bias)
{
	int prot = (p->p_flags & PF_R ? PROT_READ : 0) | (p->p_flags & PF_W ? PROT_WRITE : 0) |
		   (p->p_flags & PF_X ? PROT_EXEC : 0);
	uint64_t va = p->p_vaddr + bias;
	uint64_t start = ALIGN_DOWN(va, PAGE_SIZE);
	uint64_t off = p->p_offset - (va - start);
	uint64_t file_end = va + p->p_filesz;
	uint64_t mem_end = ALIGN_UP(va + p->p_memsz, PAGE_SIZE);
	if (p->p_filesz) {
		long r = lsys6(__NR_mmap, start, file_end - start, prot | PROT_WRITE,
			       MAP_PRIVATE | MAP_FIXED, fd, off);
		if (lerr(r))
			return r;
	}
	/* Zero the rest of the last file page, then map anonymous bss. */
	uint64_t file_page_end = ALIGN_UP(file_end, PAGE_SIZE);
	if (p->p_memsz > p->p_filesz && p->p_filesz)
		memset((void *)file_end, 0, file_page_end - file_end);
	uint64_t anon_start = p->p_filesz ? file_page_end : start;
	if (mem_end > anon_start) {
		long r = lsys6(__NR_mmap, anon_start, mem_end - anon_start, prot,
			       MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
		if (lerr(r))
			return r;
	}
	if (p->p_filesz && !(prot & PROT_WRITE))
		lsys3(__NR_mprotect, start, file_page_end - start, prot);
	return 0;
}

long elf_map(int fd, struct elf_image *img)
{
	const Elf64_Ehdr *eh = (Elf64_Ehdr *)hdr;
	uint64_t lo = ~0UL, hi = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = &phdrs()[i];
		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_filesz > p->p_memsz || p->p_vaddr + p->p_memsz < p->p_vaddr ||
		    (p->p_vaddr - p->p_offset) % PAGE_SIZE)
			return -ENOEXEC;
		if (p->p_vaddr < lo)
			lo = p->p_vaddr;
		if (p->p_vaddr + p->p_memsz > hi)
			hi = p->p_vaddr + p->p_memsz;
	}
	if (hi <= lo)
		return -ENOEXEC;
	lo = ALIGN_DOWN(lo, PAGE_SIZE);
	hi = ALIGN_UP(hi, PAGE_SIZE);
	/* Reserve the whole span first so segments never land on the
	 * translator or each other; a fixed ET_EXEC address that is taken
	 * fails here instead of overwriting anything. */
	long flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	if (eh->e_type == ET_EXEC)
		flags |= MAP_FIXED_NOREPLACE;
	long r = lsys6(__NR_mmap, eh->e_type == ET_EXEC ? lo : 0, hi - lo, PROT_NONE, flags, -1, 0);
	if (lerr(r))
		return r;
	if (eh->e_type == ET_EXEC && (uint64_t)r != lo)
		return -ENOMEM;
	img->base = eh->e_type == ET_DYN ? (uint64_t)r - lo : 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = &phdrs()[i];
		if (p->p_type == PT_LOAD && (r = map_segment(fd, p, img->base)) != 0)
			return r;
	}
	img->entry = eh->e_entry + img->base;
	img->brk = hi + img->base;
	img->phdr = 0;
	for (int i = 0; i < eh->e_phnum; i++)
		if (phdrs()[i].p_type == PT_PHDR)
			img->phdr = phdrs()[i].p_vaddr + img->base;
	for (int i = 0; !img->phdr && i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = &phdrs()[i];
		if (p->p_type == PT_LOAD && p->p_offset <= eh->e_phoff &&
		    eh->e_phoff < p->p_offset + p->p_filesz)
			img->phdr = p->p_vaddr + (eh->e_phoff - p->p_offset) + img->base;
	}
	return 0;
}
