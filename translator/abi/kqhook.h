/* Hooks the socket/kqueue area offers to the core (trap/sighost.c) and to
 * the descriptor calls (file.c). */
#pragma once

/* Before a guest descriptor is closed: drops its knotes (FreeBSD removes
 * them on close) and per-socket state. */
void net_fd_closed(int fd);
void kq_fd_closed(int fd);
/* After a dup of a kqueue descriptor: the new one names the same kqueue. */
void kq_fd_dup(int oldfd, int newfd);
/* After dup/dup2/dup3/F_DUPFD*: per-socket state (SO_NOSIGPIPE,
 * LOCAL_CREDS) follows the new descriptor. */
void net_fd_dup(int oldfd, int newfd);
/* SO_NOSIGPIPE is set on fd: write(2)/writev(2) on it must not raise
 * SIGPIPE (send with MSG_NOSIGNAL, or sendmsg for writev). */
int sock_nosigpipe(int fd);

/* From the host signal handler, for every guest signal that reaches it:
 * counts the delivery for EVFILT_SIGNAL knotes. Returns 1 when the guest's
 * disposition ignores the signal (the handler was installed only so that
 * it could be counted): nothing else is to be done. Async-signal-safe. */
int kq_signal_hook(int fsig);
/* An EVFILT_SIGNAL knote exists for fsig: host_sync_disposition installs
 * the host handler even for ignored / default-ignored signals. */
int kq_signal_wanted(int fsig);

/* fd is one of the kqueue area's own descriptors (eventfd, timerfd, pidfd,
 * inotify), placed just under RLIMIT_NOFILE: the guest must not close,
 * dup2 over or otherwise use it (the exe_fd rule of fd_reserved()). */
int kq_fd_internal(int fd);
