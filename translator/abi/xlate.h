/* Pure FreeBSD <-> Linux value translations. No system calls here, so the
 * unit tests link these files directly. */
#pragma once
#include <stdint.h>
#include "fbsd.h"

int errno_l2f(int linux_errno);

int sig_f2l(int fbsd_sig);   /* 0 if unmappable */
int sig_l2f(int linux_sig);  /* 0 if none (e.g. the trap's SIGSYS) */
uint64_t sigset_f2l(const fsigset_t *s);
void sigset_l2f(uint64_t linux_mask, fsigset_t *s);
int fsig_default_ignored(int fbsd_sig);

uint32_t oflags_f2l(uint32_t fbsd_flags);
uint32_t oflags_l2f(uint32_t linux_flags);
int clock_f2l(int fbsd_clock); /* -1000 if unknown */
