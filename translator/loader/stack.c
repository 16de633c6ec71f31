/* The FreeBSD initial process stack and auxiliary vector (startup.md §2). */
#include "stack.h"
#include "process.h"
#include "../rt/rt.h"
#include "../abi/fbsd.h"
#include <linux/mman.h>
#include <linux/resource.h>

enum {
	AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
	AT_FLAGS = 8, AT_ENTRY = 9, AT_EXECPATH = 15, AT_CANARY = 16, AT_CANARYLEN = 17,
	AT_OSRELDATE = 18, AT_NCPUS = 19, AT_PAGESIZES = 20, AT_PAGESIZESLEN = 21,
	AT_STACKPROT = 23, AT_EHDRFLAGS = 24, AT_BSDFLAGS = 27, AT_ARGC = 28, AT_ARGV = 29,
	AT_ENVC = 30, AT_ENVV = 31, AT_PS_STRINGS = 32, AT_USRSTACKBASE = 35, AT_USRSTACKLIM = 36,
};

static int count(char *const v[])
{
	int n = 0;
	while (v && v[n])
		n++;
	return n;
}

static int ncpus(void)
{
	uint64_t mask[16] = { 0 };
	long r = lsys3(__NR_sched_getaffinity, 0, sizeof mask, mask);
	int n = 0;
	for (long i = 0; i < (lerr(r) ? 0 : r / 8); i++)
		n += __builtin_popcountll(mask[i]);
	return n ? n : 1;
}

static char *push_bytes(char **sp, const void *p, size_t n)
{
	*sp -= n;
	memcpy(*sp, p, n);
	return *sp;
}

uint64_t build_stack(const struct elf_image *prog, const struct elf_image *interp,
		     char *const argv[], char *const envp[])
{
	struct rlimit rl = { 8UL << 20, 8UL << 20 };
	lsys2(__NR_getrlimit, RLIMIT_STACK, &rl);
	uint64_t size = rl.rlim_cur;
	if (size < (1UL << 20) || size > (64UL << 20))
		size = 8UL << 20;
	char *base = rt_pages(size);
	if (!base)
		rt_die(126, "cannot allocate the program stack");
	char *sp = base + size;
	proc.usrstack = (uint64_t)sp;
	proc.stacklim = size;

	sp -= 32;
	uint64_t *ps = (uint64_t *)sp; /* struct ps_strings, filled below */
	proc.ps_strings = (uint64_t)ps;
	char *execpath = push_bytes(&sp, proc.execpath, strlen(proc.execpath) + 1);
	sp = (char *)ALIGN_DOWN((uint64_t)sp, 8);
	char canary[64];
	lsys3(__NR_getrandom, canary, sizeof canary, 0);
	char *canary_p = push_bytes(&sp, canary, sizeof canary);
	uint64_t pagesizes[3] = { 4096, 2UL << 20, 1UL << 30 };
	char *pagesizes_p = push_bytes(&sp, pagesizes, sizeof pagesizes);

	int argc = count(argv), envc = count(envp);
	char **sargv = rt_malloc((argc + envc + 2) * sizeof(char *));
	char **senv = sargv + argc + 1;
	for (int i = envc - 1; i >= 0; i--)
		senv[i] = push_bytes(&sp, envp[i], strlen(envp[i]) + 1);
	for (int i = argc - 1; i >= 0; i--)
		sargv[i] = push_bytes(&sp, argv[i], strlen(argv[i]) + 1);

	uint64_t aux[64];
	int na = 0;
#define AUX(t, v) (aux[na++] = (t), aux[na++] = (uint64_t)(v))
	AUX(AT_PHDR, prog->phdr);
	AUX(AT_PHENT, 56);
	AUX(AT_PHNUM, prog->phnum);
	AUX(AT_PAGESZ, 4096);
	AUX(AT_BASE, interp ? interp->base : 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, prog->entry);
	AUX(AT_EHDRFLAGS, prog->ehflags);
	AUX(AT_EXECPATH, execpath);
	AUX(AT_OSRELDATE, fbsd_osreldate);
	AUX(AT_CANARY, canary_p);
	AUX(AT_CANARYLEN, 64);
	AUX(AT_NCPUS, ncpus());
	AUX(AT_PAGESIZES, pagesizes_p);
	AUX(AT_PAGESIZESLEN, sizeof pagesizes);
	AUX(AT_STACKPROT, PROT_READ | PROT_WRITE);
	AUX(AT_BSDFLAGS, 0); /* no sigfastblock */
	int argv_slot = na + 1; /* values patched once addresses are known */
	AUX(AT_ARGC, argc);
	AUX(AT_ARGV, 0);
	AUX(AT_ENVC, envc);
	AUX(AT_ENVV, 0);
	AUX(AT_PS_STRINGS, ps);
	AUX(AT_USRSTACKBASE, proc.usrstack);
	AUX(AT_USRSTACKLIM, size);
	AUX(AT_NULL, 0);
#undef AUX

	size_t words = 1 + (argc + 1) + (envc + 1) + na;
	sp = (char *)ALIGN_DOWN((uint64_t)sp - words * 8, 16);
	uint64_t *v = (uint64_t *)sp;
	v[0] = argc;
	uint64_t *gargv = v + 1, *genv = gargv + argc + 1;
	for (int i = 0; i < argc; i++)
		gargv[i] = (uint64_t)sargv[i];
	gargv[argc] = 0;
	for (int i = 0; i < envc; i++)
		genv[i] = (uint64_t)senv[i];
	genv[envc] = 0;
	aux[argv_slot + 2] = (uint64_t)gargv;
	aux[argv_slot + 6] = (uint64_t)genv;
	memcpy(genv + envc + 1, aux, na * 8);
	proc.auxv = (uint64_t)(genv + envc + 1);
	proc.auxv_len = na * 8;
	rt_free(sargv);

	ps[0] = (uint64_t)gargv;
	ps[1] = (uint32_t)argc;
	ps[2] = (uint64_t)genv;
	ps[3] = (uint32_t)envc;
	return (uint64_t)v;
}
