/* lochs-monitor ROOT ID [--ready-fd N]: one small process per jail (like
 * Podman's conmon). It holds the jail's stdio, writes ROOT/jails/ID/ctr.log,
 * serves ROOT/jails/ID/attach.sock, records the jail's life in the state
 * database and applies the restart policy.
 *
 * Attach protocol (unix stream socket, both directions the same framing):
 *   1 byte type, 4 bytes payload length (big-endian), payload.
 *   0 stdin        client -> monitor   bytes for the jail's stdin
 *   1 stdout       monitor -> client
 *   2 stderr       monitor -> client   (a tty jail has only stdout)
 *   3 resize       client -> monitor   rows u16, cols u16 big-endian (TIOCSWINSZ)
 *   4 exit         monitor -> client   int32 big-endian exit status; then close
 *   5 close-stdin  client -> monitor   EOF on the jail's stdin (^D on a tty)
 * A client gets the output from the moment it connects (ctr.log has the
 * past). With "attach_wait" in config.json the monitor reports ready and
 * starts the jail only when the first client is connected (run in the
 * foreground misses nothing); a start error then reaches that client as a
 * stderr frame and an exit frame (125/126/127).
 *
 * ctr.log is in the CRI format: "2026-12-03T19:00:00.123456789Z stdout F
 * text" per line, P for a partial line (longer than 16 KiB, or cut by the
 * jail's exit). */
#pragma once
#include "../../translator/jail/jail.h"
#include <stddef.h>
#include <stdint.h>

#include "../attachproto.h"

/* Bytes waiting for a non-blocking descriptor. */
struct outq {
	char *buf;
	size_t len, cap;
};

#define MAX_CLIENTS 32
#define LINE_MAX_LOG 16384

struct client {
	int fd;
	struct outq q;
	unsigned char hdr[5];
	size_t hgot;
	char *payload;
	uint32_t plen, pgot;
};

struct mon {
	const char *root, *id;
	char dir[4096];
	struct jail_config cfg;
	int lsock;
	struct client cl[MAX_CLIENTS];
	int ncl;
	int out[2];        /* stdout, stderr read ends (a tty: out[0] = master) */
	int in;            /* stdin write end or the master; -1 */
	int in_closing;    /* close stdin once inq is written */
	struct outq inq;
	int master;        /* pty master, kept across restarts; -1 */
	int logfd;
	char part[2][LINE_MAX_LOG];
	size_t plen[2];
	pid_t proxy_pid;   /* the [::1] port proxy of this run; 0 */
};

/* db.c: sql's parameters are params[0..n-1] then the jail id; event (a
 * "jail" event action) is recorded with attrs. 0, or -1 (logged). */
int mdb_exec(struct mon *m, const char *sql, int n, const char *const *params, const char *event, const char *attrs);
/* The first column of the first row (0..255) of sql with the id as its
 * only parameter; -1 when the database cannot be read. */
int mdb_query_int(struct mon *m, const char *sql);
/* run --rm: deletes the jail's row, addresses and ports at once (events
 * die with die_attrs, then destroy); 1 if it had published ports, 0 if
 * not, -1 on failure. */
int mdb_remove(struct mon *m, const char *die_attrs);

/* cri.c */
void ts_now(char *buf, size_t size); /* RFC 3339 with nanoseconds, UTC */
void cri_write(struct mon *m, int stream, const char *data, size_t len);
void cri_flush(struct mon *m, int stream); /* a pending partial line */

/* attachsrv.c */
int attach_listen(struct mon *m, char *err, size_t errsize);
void attach_accept(struct mon *m);
void attach_broadcast(struct mon *m, int type, const void *data, uint32_t len);
/* Reads from client i; returns -1 when it went away (then dropped). */
int attach_read(struct mon *m, int i);
int attach_flush(struct mon *m, int i); /* -1 on a dead client */
void attach_drop(struct mon *m, int i);
/* Sends the exit frame, flushes (bounded wait) and closes every client. */
void attach_finish(struct mon *m, int status);

void outq_push(struct outq *q, const void *data, size_t len);
/* Writes what it can; -1 on an error other than EAGAIN. */
int outq_write(struct outq *q, int fd);

/* portproxy.c: the lochs binary next to this one (or $LOCHS_BIN). */
int monitor_lochs_exe(char *exe, size_t size);
/* Starts the jail's [::1] port proxy (netplane/proxy.h) when it has
 * bindings there; -1 with e when one cannot be bound (nothing left). */
int proxy_start(struct mon *m, struct lerr *e);
void proxy_stop(struct mon *m); /* kills and reaps it */
