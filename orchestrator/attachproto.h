/* The frame types of a monitor's attach socket, shared by the monitor
 * (orchestrator/monitor/) and its client (attach.c); monitor.h describes
 * the framing. */
#pragma once

enum { FR_STDIN, FR_STDOUT, FR_STDERR, FR_RESIZE, FR_EXIT, FR_CLOSE_STDIN };
