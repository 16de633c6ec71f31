/* Starting and poking the embedded DNS server of a state root (`lochs
 * _dns`, netplane/dnsd.h): one daemon per root, single through an flock on
 * ROOT/dns.lock; its pid is in ROOT/dns.pid once it serves. */
#pragma once
#include <sqlite3.h>
#include "../common/err.h"

#define DNSD_LOCK "dns.lock"
#define DNSD_PID "dns.pid"
#define DNSD_LOG "dns.log"

/* Starts the daemon (detached, in its own session, stdio to ROOT/dns.log)
 * unless one runs, and waits until it serves (at most 3 s). */
int dnsd_ensure(const char *root, struct lerr *e);
/* SIGHUP to the daemon, if one runs: networks changed. */
void dnsd_notify(const char *root);
/* The same, for the state root the database lives in. */
void dnsd_notify_db(sqlite3 *db);
