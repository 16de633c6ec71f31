/* Loading ELF images into our own address space. */
#pragma once
#include <stdint.h>

enum elf_kind {
	ELF_FREEBSD,     /* FreeBSD amd64: run under the translator */
	ELF_LINUX,       /* any other amd64 ELF: run natively */
	ELF_NOT_ELF,
	ELF_WRONG_ARCH,
	ELF_BAD,         /* truncated or inconsistent headers */
};

struct elf_image {
	enum elf_kind kind;
	uint64_t entry;      /* relocated entry point */
	uint64_t base;       /* load bias (0 for ET_EXEC) */
	uint64_t phdr;       /* address of the program headers in memory */
	uint64_t phnum;
	uint64_t ehflags;
	uint64_t brk;        /* end of the highest segment */
	char interp[256];    /* PT_INTERP, or "" for static programs */
};

/* Reads the headers of fd and classifies the file. */
enum elf_kind elf_probe(int fd, struct elf_image *img);
/* Maps a probed image; returns 0 or -errno. */
long elf_map(int fd, struct elf_image *img);
