/* Probe entry point and FreeBSD branding. */

/* ABI note (startup.md §1): the kernel's brand matcher (and bsdulator) look for
 * a PT_NOTE "FreeBSD\0", type NT_FREEBSD_ABI_TAG=1, desc = __FreeBSD_version.
 * It also sets p_osrel, which changes behaviour (e.g. SIGSEGV vs SIGBUS on
 * protection faults needs osrel >= 700004). */
	.section .note.tag,"a",@note
	.p2align 2
	.long 8			/* namesz */
	.long 4			/* descsz */
	.long 1			/* NT_FREEBSD_ABI_TAG */
	.asciz "FreeBSD"
	.long 1403000		/* 14.3-RELEASE */

/* FreeBSD enters with %rdi = &argc and %rsp = 8 mod 16 (startup.md §2).
 * Both are recorded for the startup probe, then the stack is realigned. */
	.text
	.globl _start
	.type _start,@function
_start:
	mov %rsp, rt_entry_rsp(%rip)
	mov %rdi, rt_entry_rdi(%rip)
	xor %ebp, %ebp
	and $-16, %rsp
	call rt_start_c
	hlt
	.size _start, .-_start

	.section .note.GNU-stack,"",@progbits
