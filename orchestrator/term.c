#include "term.h"
#include <signal.h>
#include <unistd.h>

static volatile sig_atomic_t winch = 1;

static void on_winch(int sig)
{
	(void)sig;
	winch = 1;
}

int term_raw(struct termios *saved)
{
	if (!isatty(0) || tcgetattr(0, saved) < 0)
		return 0;
	struct termios t = *saved;
	cfmakeraw(&t);
	tcsetattr(0, TCSANOW, &t);
	struct sigaction sa = { .sa_handler = on_winch };
	sigaction(SIGWINCH, &sa, NULL);
	winch = 1;
	return 1;
}

void term_restore(const struct termios *saved)
{
	tcsetattr(0, TCSANOW, saved);
}

int term_resized(struct winsize *ws)
{
	if (!winch)
		return 0;
	winch = 0;
	return ioctl(0, TIOCGWINSZ, ws) == 0;
}
