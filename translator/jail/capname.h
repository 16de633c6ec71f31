/* Linux capability names as Docker's --cap-add and compose's cap_add take
 * them: "NET_RAW", "cap_net_raw", "ALL". Shared by the jail's security
 * step and the lochs.yml parser (which refuses an unknown one early). */
#pragma once
int cap_number(const char *name); /* the capability's number; -2 for ALL; -1 unknown */
const char *cap_name(int n);      /* "NET_RAW"; "?" out of range */
