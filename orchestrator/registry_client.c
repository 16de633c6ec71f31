/* The registry's HTTP side: which scheme, TLS verification and
 * credentials to use, and GETs carrying them.
 * TLS: verified HTTPS, except for a host in insecure_registries, with
 * --tls-verify=false, or on loopback (127.0.0.0/8, ::1, localhost; Docker
 * treats 127.0.0.0/8 the same): then HTTPS without verification is tried
 * first and plain HTTP when HTTPS cannot connect. --tls-verify=true
 * forces verified HTTPS even on loopback. */
#include "registry.h"
#include "config.h"
#include "registry_creds.h"
#include "http.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct resp {
	struct http_buf b; /* first: the write callback's data */
	char www[2048];
	char ctype[128];
};

void reg_header_value(const char *line, size_t len, const char *name, char *out, size_t size)
{
	size_t k = strlen(name);
	if (len <= k + 1 || strncasecmp(line, name, k) || line[k] != ':')
		return;
	const char *v = line + k + 1;
	size_t n = len - k - 1;
	while (n && (*v == ' ' || *v == '\t'))
		v++, n--;
	while (n && (v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	snprintf(out, size, "%.*s", (int)n, v);
}

static size_t on_header(char *d, size_t sz, size_t nm, void *u)
{
	struct resp *m = u;
	reg_header_value(d, sz * nm, "WWW-Authenticate", m->www, sizeof m->www);
	reg_header_value(d, sz * nm, "Content-Type", m->ctype, sizeof m->ctype);
	return sz * nm;
}

static CURL *easy_for(struct reg *r, const char *url, struct curl_slist **hdrs, const char *auth, char *errbuf)
{
	CURL *c = http_easy(url, errbuf);
	if (!c)
		return NULL;
	/* Registry errors (401 with a challenge, 404) are answers to read. */
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, (long)r->verify);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, r->verify ? 2L : 0L);
	/* Registries redirect blobs to storage hosts: the Authorization header
	 * is not sent there (curl drops custom auth headers across hosts). */
	if (auth && *auth)
		*hdrs = curl_slist_append(*hdrs, auth);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *hdrs);
	return c;
}

void *reg_easy(struct reg *r, const char *path, void **hdrs, char *errbuf)
{
	char url[4096];
	snprintf(url, sizeof url, "%s/v2/%s", r->base, path);
	return reg_easy_url(r, url, hdrs, errbuf);
}

void *reg_easy_url(struct reg *r, const char *url, void **hdrs, char *errbuf)
{
	struct curl_slist *h = *hdrs;
	size_t n = strlen(r->base);
	/* The credentials go to the registry only, not to other hosts an
	 * upload Location may name. */
	int same = !strncmp(url, r->base, n) && (url[n] == '/' || !url[n]);
	CURL *c = easy_for(r, url, &h, same ? r->auth : NULL, errbuf);
	*hdrs = h;
	return c;
}

/* One GET of a full URL; NULL on a transport error (e set), *rc the curl code. */
static char *get_url(struct reg *r, const char *url, const char *auth, const char *accept, struct resp *m,
		     long *status, CURLcode *rc, struct lerr *e)
{
	char errbuf[CURL_ERROR_SIZE], acc[1024];
	struct curl_slist *h = NULL;
	if (accept) {
		snprintf(acc, sizeof acc, "Accept: %s", accept);
		h = curl_slist_append(h, acc);
	}
	CURL *c = easy_for(r, url, &h, auth, errbuf);
	if (!c) {
		curl_slist_free_all(h);
		return lerr_set(e, LX_LOCHS, "%s: cannot start libcurl", url), NULL;
	}
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_buf_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &m->b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, m);
	*rc = curl_easy_perform(c);
	*status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	if (*rc != CURLE_OK) {
		free(m->b.p);
		m->b.p = NULL;
		return lerr_set(e, LX_LOCHS, "%s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(*rc)), NULL;
	}
	if (!m->b.p)
		m->b.p = calloc(1, 1);
	return m->b.p;
}

char *reg_get(struct reg *r, const char *path, const char *accept, size_t *len, long *status, char *ctype,
	      size_t csize, struct lerr *e)
{
	char url[4096];
	struct resp m = { 0 };
	CURLcode rc;
	snprintf(url, sizeof url, "%s/v2/%s", r->base, path);
	char *body = get_url(r, url, r->auth, accept, &m, status, &rc, e);
	if (body && len)
		*len = m.b.n;
	if (ctype)
		snprintf(ctype, csize, "%s", m.ctype);
	return body;
}

/* Fetches a bearer token from the challenge's realm. */
static int bearer_token(struct reg *r, const struct www_auth *a, const char *scope, struct lerr *e)
{
	char url[4096], *esc_svc;
	CURL *c = curl_easy_init();
	esc_svc = curl_easy_escape(c, a->service, 0);
	int n = snprintf(url, sizeof url, "%s%cservice=%s", a->realm, strchr(a->realm, '?') ? '&' : '?',
			 esc_svc ? esc_svc : "");
	curl_free(esc_svc);
	/* Several scopes (a push that mounts from another repository) are
	 * separated by spaces: one scope= parameter each, as Docker asks. */
	const char *sc = scope && *scope ? scope : a->scope;
	while (*sc && n > 0 && n < (int)sizeof url) {
		size_t k = strcspn(sc, " ");
		char one[512];
		snprintf(one, sizeof one, "%.*s", (int)k, sc);
		char *esc = curl_easy_escape(c, one, 0);
		if (k)
			n += snprintf(url + n, sizeof url - (size_t)n, "&scope=%s", esc ? esc : "");
		curl_free(esc);
		sc += k + (sc[k] == ' ');
	}
	curl_easy_cleanup(c);
	char basic[600] = "";
	if (r->basic[0])
		snprintf(basic, sizeof basic, "Authorization: Basic %s", r->basic);
	struct resp m = { 0 };
	long status;
	CURLcode rc;
	if (!get_url(r, url, basic, "application/json", &m, &status, &rc, e))
		return lerr_wrap(e, "%s: token", r->host);
	json_t *j = status == 200 ? json_loads(m.b.p, 0, NULL) : NULL;
	const char *tok = json_string_value(json_object_get(j, "token"));
	if (!tok || !*tok) /* either key may be the one set */
		tok = json_string_value(json_object_get(j, "access_token"));
	int ret = 0;
	if (!tok || !*tok || strlen(tok) > sizeof r->auth - 32)
		ret = lerr_set(e, LX_LOCHS, "%s: no token from %s (HTTP %ld)%s", r->host, a->realm, status,
			       status == 401 ? ": wrong or missing credentials (lochs login)" : "");
	else
		snprintf(r->auth, sizeof r->auth, "Authorization: Bearer %s", tok);
	json_decref(j);
	free(m.b.p);
	return ret;
}

int reg_open(struct reg *r, const char *root, const char *host, int tls_verify, const char *scope, struct lerr *e)
{
	return reg_open_basic(r, root, host, tls_verify, scope, NULL, e);
}

int reg_open_basic(struct reg *r, const char *root, const char *host, int tls_verify, const char *scope,
		   const char *basic, struct lerr *e)
{
	memset(r, 0, sizeof *r);
	snprintf(r->host, sizeof r->host, "%s", host);
	json_t *cfg = config_load(root, e);
	if (!cfg)
		return -1;
	int insecure = tls_verify == 0 || (tls_verify < 0 && (config_insecure(cfg, host) || host_is_loopback(host)));
	r->verify = !insecure;
	int found = basic ? snprintf(r->basic, sizeof r->basic, "%s", basic) > 0
			  : creds_lookup(root, cfg, host, r->basic, sizeof r->basic, e);
	json_decref(cfg);
	if (found < 0)
		return -1;
	struct resp m = { 0 };
	long status = 0;
	CURLcode rc;
	char url[400];
	snprintf(r->base, sizeof r->base, "https://%s", host);
	snprintf(url, sizeof url, "%s/v2/", r->base);
	char *body = get_url(r, url, NULL, NULL, &m, &status, &rc, e);
	if (!body && insecure && rc != CURLE_OPERATION_TIMEDOUT) {
		snprintf(r->base, sizeof r->base, "http://%s", host);
		snprintf(url, sizeof url, "%s/v2/", r->base);
		body = get_url(r, url, NULL, NULL, &m, &status, &rc, e);
	}
	if (!body)
		return -1;
	free(body);
	if (status == 200)
		return 0;
	struct www_auth a;
	if (status != 401 || www_auth_parse(m.www, &a) < 0)
		return lerr_set(e, LX_LOCHS, "%s: not an OCI registry (HTTP %ld from /v2/)", host, status);
	if (!strcmp(a.scheme, "Bearer")) {
		r->chal = a;
		snprintf(r->scope, sizeof r->scope, "%s", scope ? scope : "");
		return bearer_token(r, &a, scope, e);
	}
	if (!strcmp(a.scheme, "Basic") && r->basic[0]) {
		snprintf(r->auth, sizeof r->auth, "Authorization: Basic %s", r->basic);
		return 0;
	}
	return lerr_set(e, LX_LOCHS, "%s: requires %s credentials (lochs login %s)", host,
			a.scheme, host);
}

int reg_reauth(struct reg *r, struct lerr *e)
{
	if (strcmp(r->chal.scheme, "Bearer"))
		return lerr_set(e, LX_LOCHS, "%s: no token to renew", r->host);
	return bearer_token(r, &r->chal, r->scope, e);
}
