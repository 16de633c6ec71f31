/* Signal names as users write them: "TERM", "SIGTERM", "15". */
#pragma once
int signal_by_name(const char *name); /* 0 when unknown */
