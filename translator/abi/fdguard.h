/* The translator's own descriptors (its binary, host /proc, the jail
 * table, the kqueue and umtx areas' internal ones) are invisible to the
 * guest: every descriptor argument goes through FD_GUARD. */
#pragma once

int fd_reserved(int fd);
#define FD_GUARD(fd) do { if (fd_reserved(fd)) return -9 /* EBADF */; } while (0)
