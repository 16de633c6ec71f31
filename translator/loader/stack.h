#pragma once
#include "elf.h"
/* Builds argc/argv/envp/auxv on a new stack; returns the address of argc. */
uint64_t build_stack(const struct elf_image *prog, const struct elf_image *interp,
		     char *const argv[], char *const envp[]);
