/* Probe 0: the initial process image (startup.md §2): %rdi and %rsp at
 * _start, argv/envp, and an auxiliary vector with FreeBSD numbering.
 * usage: startup alpha "beta gamma"   with PROBE_ENV=lochs in the environment */
#include "probe.h"

enum { /* constants.md "ELF auxiliary vector types" */
	AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
	AT_ENTRY = 9, AT_EXECPATH = 15, AT_CANARY = 16, AT_CANARYLEN = 17,
	AT_OSRELDATE = 18, AT_PAGESIZES = 20, AT_PAGESIZESLEN = 21, AT_ARGC = 28,
	AT_ARGV = 29, AT_ENVC = 30, AT_ENVV = 31, AT_PS_STRINGS = 32, AT_COUNT = 37,
};

extern char _start[];
extern const u8 __ehdr_start[]; /* lld: the ELF header of this executable */

static long aux[AT_COUNT];
static int have[AT_COUNT], foreign;

int main(int argc, char **argv, char **envp)
{
	u64 *ap = (u64 *)rt_entry_rdi;
	int envc = 0, found_env = 0;

	CHECK_EQ("%rsp at _start = 8 mod 16", rt_entry_rsp % 16, 8);
	CHECK_EQ("%rdi points at argc", ap[0], argc);
	CHECK_EQ("argc", argc, 3);
	CHECK("argv[0] ends with /startup", argc > 0 && rt_ends_with(argv[0], "startup"));
	CHECK("argv[1] = alpha", argc > 1 && rt_streq(argv[1], "alpha"));
	CHECK("argv[2] = \"beta gamma\"", argc > 2 && rt_streq(argv[2], "beta gamma"));
	CHECK_EQ("argv[argc] = NULL", argv[argc], 0);
	for (; envp[envc]; envc++)
		found_env |= rt_streq(envp[envc], "PROBE_ENV=lochs");
	CHECK("envp contains PROBE_ENV=lochs", found_env);

	for (u64 *a = rt_auxv; a[0] != AT_NULL; a += 2) {
		if (a[0] < AT_COUNT) {
			aux[a[0]] = (long)a[1];
			have[a[0]] = 1;
		} else {
			foreign++; /* e.g. Linux AT_MINSIGSTKSZ 51 leaking through */
		}
	}
	CHECK_EQ("auxv types all < AT_COUNT 37", foreign, 0);
	CHECK_EQ("AT_PAGESZ = 4096", aux[AT_PAGESZ], 4096);
	CHECK_EQ("AT_PHENT = 56", aux[AT_PHENT], 56);
	CHECK_EQ("AT_PHDR = our program headers", aux[AT_PHDR], __ehdr_start + *(u64 *)(__ehdr_start + 32));
	CHECK_EQ("AT_PHNUM = e_phnum", aux[AT_PHNUM], *(u16 *)(__ehdr_start + 56));
	CHECK_EQ("AT_ENTRY = _start", aux[AT_ENTRY], _start);
	CHECK_EQ("AT_BASE = 0 (static, no interpreter)", aux[AT_BASE], 0);
	/* Optional entries: when present they must carry FreeBSD meanings, not
	 * Linux ones with the same number (AT_PLATFORM 15, AT_CLKTCK 17, ...). */
	if (have[AT_EXECPATH])
		CHECK("AT_EXECPATH 15 is our path", rt_ends_with((char *)aux[AT_EXECPATH], "/startup"));
	if (have[AT_CANARYLEN])
		CHECK_EQ("AT_CANARYLEN 17 = 64", aux[AT_CANARYLEN], 64);
	if (have[AT_CANARYLEN])
		CHECK("AT_CANARY 16 present with it", have[AT_CANARY] && aux[AT_CANARY] != 0);
	if (have[AT_OSRELDATE])
		CHECK("AT_OSRELDATE 18 is a __FreeBSD_version (>= 1200031, ino64 era)", aux[AT_OSRELDATE] >= 1200031);
	if (have[AT_PAGESIZES])
		CHECK_EQ("AT_PAGESIZES[0] 20 = 4096", *(long *)aux[AT_PAGESIZES], 4096);
	if (have[AT_PAGESIZESLEN])
		CHECK_EQ("AT_PAGESIZESLEN 21 is a multiple of 8", aux[AT_PAGESIZESLEN] % 8, 0);
	if (have[AT_ARGC])
		CHECK_EQ("AT_ARGC 28", aux[AT_ARGC], argc);
	if (have[AT_ARGV])
		CHECK_EQ("AT_ARGV 29", aux[AT_ARGV], argv);
	if (have[AT_ENVC])
		CHECK_EQ("AT_ENVC 30", aux[AT_ENVC], envc);
	if (have[AT_ENVV])
		CHECK_EQ("AT_ENVV 31", aux[AT_ENVV], envp);
	if (have[AT_PS_STRINGS]) { /* struct ps_strings: argvstr @0, nargvstr @8 */
		CHECK_EQ("ps_strings.ps_argvstr", *(char ***)aux[AT_PS_STRINGS], argv);
		CHECK_EQ("ps_strings.ps_nargvstr", *(u32 *)(aux[AT_PS_STRINGS] + 8), argc);
	}
	return rt_done();
}
