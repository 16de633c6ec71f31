/* lochs login / logout: credentials checked against the registry (GET
 * /v2/, then the Basic or bearer token flow its 401 asks for) before they
 * are stored in the credentials file (registry_creds.h); pull and push
 * use them from then on. */
#include "cli.h"
#include "config.h"
#include "registry_push.h"
#include "registry_creds.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define CRED_MAX 256

/* "https://reg.lan:5000/v1/" -> "reg.lan:5000"; Docker Hub's names -> its API host. */
static void login_host(const char *arg, char *out, size_t size)
{
	const char *s = arg;
	if (!strncmp(s, "https://", 8))
		s += 8;
	else if (!strncmp(s, "http://", 7))
		s += 7;
	snprintf(out, size, "%.*s", (int)strcspn(s, "/"), s);
	if (!strcmp(out, "docker.io") || !strcmp(out, "index.docker.io"))
		snprintf(out, size, "registry-1.docker.io");
}

static struct termios saved_tty;

/* ^C at the password prompt: echo back on before dying of it. */
static void on_signal(int sig)
{
	tcsetattr(0, TCSANOW, &saved_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* One line of stdin without its newline; echo off for a password on a terminal. */
static int read_line(const char *prompt, int secret, char *out, size_t size)
{
	struct termios t;
	int tty = isatty(0) && tcgetattr(0, &saved_tty) == 0;
	if (tty) {
		if (secret) { /* before the prompt: what is typed after it never shows */
			signal(SIGINT, on_signal);
			signal(SIGTERM, on_signal);
			t = saved_tty;
			t.c_lflag &= ~(tcflag_t)ECHO;
			tcsetattr(0, TCSANOW, &t);
		}
		fprintf(stderr, "%s", prompt);
	}
	int ok = fgets(out, (int)size, stdin) != NULL;
	if (tty && secret) {
		tcsetattr(0, TCSANOW, &saved_tty);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		fprintf(stderr, "\n");
	}
	out[ok ? strcspn(out, "\r\n") : 0] = 0;
	return ok;
}

/* All of stdin (--password-stdin), trailing newlines dropped. */
static int read_stdin(char *out, size_t size)
{
	size_t n = fread(out, 1, size - 1, stdin);
	if (n == size - 1 && fgetc(stdin) != EOF)
		return 0;
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		n--;
	out[n] = 0;
	return 1;
}

/* Logs in to host with basic: the registry must then answer /v2/ with 200. */
static int check(const char *root, const char *host, int tls, const char *basic, struct lerr *e)
{
	struct reg r;
	long status = 0;
	if (reg_open_basic(&r, root, host, tls, "", basic, e) < 0)
		return -1;
	char *body = reg_get(&r, "", NULL, NULL, &status, NULL, 0, e);
	if (!body)
		return -1;
	free(body);
	if (status == 401 || status == 403)
		return lerr_set(e, LX_LOCHS, "unauthorized: incorrect username or password");
	if (status != 200)
		return lerr_set(e, LX_LOCHS, "HTTP %ld from /v2/", status);
	return 0;
}

static int cmd_login(struct cli *c, int argc, char **argv, struct lerr *e)
{
	const char *user = NULL, *pass = NULL, *reg = NULL;
	int from_stdin = 0, tls = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((!strcmp(a, "-u") || !strcmp(a, "--username")) && i + 1 < argc)
			user = argv[++i];
		else if (!strncmp(a, "--username=", 11))
			user = a + 11;
		else if ((!strcmp(a, "-p") || !strcmp(a, "--password")) && i + 1 < argc)
			pass = argv[++i];
		else if (!strncmp(a, "--password=", 11))
			pass = a + 11;
		else if (!strcmp(a, "--password-stdin"))
			from_stdin = 1;
		else if (registry_tls_flag(a, &tls))
			continue;
		else if (!strcmp(a, "--authfile") && i + 1 < argc)
			setenv("REGISTRY_AUTH_FILE", argv[++i], 1);
		else if (a[0] == '-')
			return lerr_usage(e, "login", "unknown flag %s", a);
		else if (!reg)
			reg = a;
		else
			return lerr_usage(e, "login", "one registry at a time");
	}
	if (pass && from_stdin)
		return lerr_usage(e, "login", "--password and --password-stdin are mutually exclusive");
	if (from_stdin && !user)
		return lerr_usage(e, "login", "--password-stdin needs --username");
	char host[256], ubuf[CRED_MAX], pbuf[CRED_MAX], basic[512];
	login_host(reg ? reg : "docker.io", host, sizeof host);
	if (!user) {
		if (!read_line("Username: ", 0, ubuf, sizeof ubuf) || !ubuf[0])
			return lerr_usage(e, "login", "a username is needed (-u)");
		user = ubuf;
	}
	if (pass) {
		fprintf(stderr, "WARNING! Using --password on the command line is insecure. Use --password-stdin.\n");
	} else if (from_stdin) {
		if (!read_stdin(pbuf, sizeof pbuf))
			return lerr_usage(e, "login", "the password on stdin is longer than %d bytes", CRED_MAX - 1);
		pass = pbuf;
	} else {
		if (!read_line("Password: ", 1, pbuf, sizeof pbuf))
			return lerr_usage(e, "login", "a password is needed (-p or --password-stdin)");
		pass = pbuf;
	}
	if (!*pass)
		return lerr_usage(e, "login", "the password is empty");
	if (strchr(user, ':'))
		return lerr_usage(e, "login", "a username cannot contain ':'");
	if (!config_basic_encode(user, pass, basic, sizeof basic))
		return lerr_usage(e, "login", "username and password are too long");
	if (check(c->root, host, tls, basic, e) < 0)
		return lerr_wrap(e, "login to %s", host);
	if (creds_set(c->root, host, basic, NULL, e) < 0)
		return -1;
	printf("Login Succeeded\n");
	return 0;
}
LOCHS_COMMAND(login, "login", cmd_login,
	      "login [-u USER] [-p PASSWORD | --password-stdin] [--tls-verify=false] [--authfile FILE] [REGISTRY]",
	      "Log in to a registry (credentials kept in ROOT/auth.json, mode 0600)");

static int cmd_logout(struct cli *c, int argc, char **argv, struct lerr *e)
{
	const char *reg = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--authfile") && i + 1 < argc)
			setenv("REGISTRY_AUTH_FILE", argv[++i], 1);
		else if (argv[i][0] == '-')
			return lerr_usage(e, "logout", "unknown flag %s", argv[i]);
		else if (!reg)
			reg = argv[i];
		else
			return lerr_usage(e, "logout", "one registry at a time");
	}
	char host[256];
	int had = 0;
	login_host(reg ? reg : "docker.io", host, sizeof host);
	if (creds_set(c->root, host, NULL, &had, e) < 0)
		return -1;
	if (had)
		printf("Removing login credentials for %s\n", host);
	else
		printf("Not logged in to %s\n", host);
	return 0;
}
LOCHS_COMMAND(logout, "logout", cmd_logout, "logout [--authfile FILE] [REGISTRY]",
	      "Remove the stored credentials of a registry");
