#pragma once
/* wait(2) family value translations (constants.md "wait4/wait6"). */
int wait_options_f2l(int fbsd_options); /* -1 if unknown bits */
int wait_status_l2f(int linux_status);
int wait_status_from_siginfo(int si_code, int si_status);
int wait_idtype_f2l(int fbsd_idtype);   /* -1 if unsupported */
