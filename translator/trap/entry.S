/* Assembly entry points of the translator. */
#include "thread.h"

	.text
/* Process entry: the kernel leaves argc at (%rsp). */
	.globl _start
_start:
	xor %ebp, %ebp
	mov %rsp, %rdi
	and $-16, %rsp
	call translator_main
	hlt

/* SA_RESTORER for every host signal handler. */
	.globl host_restorer
host_restorer:
	mov $15, %eax           /* rt_sigreturn */
	syscall
	hlt

/* long blocking_syscall6(n, a, b, c, d, e, f)
 * A host syscall that a guest signal may interrupt. If the signal handler
 * finds the interrupted rip in [blk_start, blk_syscall] the call has not
 * started yet: it moves rip to blk_eintr, so the wake-up is never lost. */
	.globl blocking_syscall6, blk_start, blk_syscall, blk_eintr
blocking_syscall6:
blk_start:
	cmpl $0, %gs:GT_SIGPENDING
	jne blk_eintr
	mov %rdi, %rax
	mov %rsi, %rdi
	mov %rdx, %rsi
	mov %rcx, %rdx
	mov %r8, %r10
	mov %r9, %r8
	mov 8(%rsp), %r9
blk_syscall:
	syscall
	ret
blk_eintr:
	mov $-4, %rax
	ret

/* Calls rt_sigreturn on the frame at %rdi: the kernel loads all registers
 * and the signal mask from it in one step. */
	.globl sigreturn_to
sigreturn_to:
	mov %rdi, %rsp
	mov $15, %eax
	syscall
	hlt

/* long clone_thread(flags, stack, ptid, tls, fn)
 * The child starts on `stack` and calls fn(stack-top argument) which never
 * returns. Parent gets the child's tid or -errno. */
	.globl clone_thread
clone_thread:
	mov %r8, %r9            /* fn survives in r9 (not touched by syscall) */
	mov %rcx, %r8           /* tls */
	xor %r10d, %r10d        /* ctid */
	mov $56, %eax           /* clone(flags, stack, ptid, ctid, tls) */
	syscall
	test %rax, %rax
	jnz 1f
	xor %ebp, %ebp
	mov %rsp, %rdi
	and $-16, %rsp
	call *%r9
	hlt
1:	ret

/* int fault_setjmp(struct fault_jmp *jb): saves callee-saved registers,
 * the stack pointer and the return address; returns 0. A fault in
 * translator code resumes here with 1 (see trap/sighost.c). */
	.globl fault_setjmp
fault_setjmp:
	mov %rbx, 0(%rdi)
	mov %rbp, 8(%rdi)
	mov %r12, 16(%rdi)
	mov %r13, 24(%rdi)
	mov %r14, 32(%rdi)
	mov %r15, 40(%rdi)
	lea 8(%rsp), %rax
	mov %rax, 48(%rdi)
	mov (%rsp), %rax
	mov %rax, 56(%rdi)
	xor %eax, %eax
	ret

	.section .note.GNU-stack,"",@progbits
