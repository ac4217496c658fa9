/*
 * pfkv2-simd --trace: every message in and out, and the connections.
 *
 * Text: "[clock T] #N pid P in: " or "out: " and the message as
 * pfkv2_print(3) prints it (N numbers the connections: one process may
 * hold several).  JSON: one object per line, {"time", "clock", "sock",
 * "pid", "dir", "len", "msg"} with msg as pfkv2_print(3) gives it with
 * PFKV2_PRINT_JSON, or {"time", "clock", "sock", "pid", "event",
 * "detail"} (sock 0: no connection, as for a refused peer).  Key
 * bytes are never printed: PFKV2_PRINT_KEYS is never passed, and a
 * message that does not parse is described, not dumped.
 */
#define _GNU_SOURCE

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include <pfkv2/print_stdio.h>

#include "simd.h"

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A JSON string: what our own texts contain needs little escaping. */
static void
json_str(FILE *f, const char *t)
{
	fputc('"', f);
	for (; *t != '\0'; t++) {
		if (*t == '"' || *t == '\\')
			fprintf(f, "\\%c", *t);
		else if ((unsigned char)*t < 0x20)
			fprintf(f, "\\u%04x", (unsigned)(unsigned char)*t);
		else
			fputc(*t, f);
	}
	fputc('"', f);
}

/*
 * pfkv2_print(3)'s output, less its final newline: the JSON object goes
 * inside the trace's own line.
 */
struct chomp {
	FILE *f;
	bool nl;		/* a newline held back */
};

static int
chomp_write(void *arg, const char *t, size_t n)
{
	struct chomp *c = arg;

	if (n == 0)
		return 0;
	if (c->nl)
		fputc('\n', c->f);
	c->nl = t[n - 1] == '\n';
	fwrite(t, 1, c->nl ? n - 1 : n, c->f);
	return 0;
}

/*
 * A message of len bytes at msg (full: its whole length, more than len
 * when it did not fit the daemon's buffer).
 */
void
trace_msg(struct simd *s, const char *dir, const struct client *c,
    const void *msg, size_t len, size_t full)
{
	struct pfkv2_view v;
	struct pfkv2_diag d;
	struct chomp ch = { s->tf, false };
	char why[256];
	unsigned long long now;
	int ok;

	if (s->tf == NULL)
		return;
	now = (unsigned long long)pfkv2_sadb_now(s->db);
	ok = full == len &&
	    pfkv2_parse(msg, len, s->dialect, 0, &v, &d) == 0;
	if (!ok && full != len)
		snprintf(why, sizeof(why), "longer than any PF_KEY message");
	else if (!ok)
		pfkv2_diag_format(&d, why, sizeof(why));
	if (s->trace == TRACE_JSON) {
		fprintf(s->tf, "{\"time\":%.6f,\"clock\":%llu,\"sock\":%u,"
		    "\"pid\":%ld,\"dir\":\"%s\",\"len\":%zu,\"msg\":", wall(),
		    now, c->id, (long)c->pid, dir, full);
		if (ok)
			pfkv2_print(&v, PFKV2_PRINT_JSON, chomp_write, &ch);
		else {
			fputs("null,\"error\":", s->tf);
			json_str(s->tf, why);
		}
		fputs("}\n", s->tf);
		return;
	}
	fprintf(s->tf, "[clock %llu] #%u pid %ld %s: ", now, c->id,
	    (long)c->pid, dir);
	if (ok)
		pfkv2_fprint(s->tf, &v, 0);
	else
		fprintf(s->tf, "%zu bytes, not a valid message: %s\n", full,
		    why);
}

void
trace_event(struct simd *s, const struct client *c, pid_t pid,
    const char *event, const char *fmt, ...)
{
	va_list ap;
	char detail[256];
	unsigned long long now;

	if (s->tf == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	now = (unsigned long long)pfkv2_sadb_now(s->db);
	if (s->trace == TRACE_JSON) {
		fprintf(s->tf, "{\"time\":%.6f,\"clock\":%llu,\"sock\":%u,"
		    "\"pid\":%ld,\"event\":\"%s\",\"detail\":", wall(), now,
		    c != NULL ? c->id : 0, (long)pid, event);
		json_str(s->tf, detail);
		fputs("}\n", s->tf);
	} else if (c != NULL)
		fprintf(s->tf, "[clock %llu] #%u pid %ld %s: %s\n", now, c->id,
		    (long)pid, event, detail);
	else
		fprintf(s->tf, "[clock %llu] pid %ld %s: %s\n", now,
		    (long)pid, event, detail);
}
