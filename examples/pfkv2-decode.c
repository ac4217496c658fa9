/*
 * pfkv2-decode: check and print one PF_KEY v2 message from a file or
 * standard input, as text or JSON.
 *
 *	pfkv2-decode --hex --direction out reply.hex
 *	pfkv2-decode --dialect freebsd --json < msg.bin
 *
 * Exit status: 0 valid, 1 invalid message or unreadable input, 2 usage.
 *
 * This example is placed in the public domain.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pfkv2/pfkv2.h>
#include <pfkv2/print_stdio.h>

static const char usage[] =
    "usage: pfkv2-decode [--dialect linux|freebsd|illumos|rfc2367] [--hex]\n"
    "                    [--strict] [--direction in|out] [--json]\n"
    "                    [--show-keys] [FILE]\n"
    "Read one PF_KEY v2 message (binary, or hex text with --hex) from FILE\n"
    "or standard input, validate it and print it.  --direction in is user\n"
    "to kernel, out kernel to user.  The dialect defaults to this host's.\n";

#if defined(__FreeBSD__)
#define HOST_DIALECT	PFKV2_DIALECT_FREEBSD
#elif defined(__sun)
#define HOST_DIALECT	PFKV2_DIALECT_ILLUMOS
#else
#define HOST_DIALECT	PFKV2_DIALECT_LINUX
#endif

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Read the whole input into buf.  Returns the byte count, or -1 with a
 * reason in *why: a read error, too big for a message, or bad hex.
 */
static long
read_input(FILE *f, int hex, unsigned char *buf, size_t size,
    const char **why)
{
	size_t n = 0;
	int c, hi = -1, v;

	*why = "too large for a PF_KEY message";
	if (!hex) {
		n = fread(buf, 1, size, f);
		if (n == size && getc(f) != EOF)
			return -1;
	} else {
		while ((c = getc(f)) != EOF) {
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
				continue;
			if ((v = hexval(c)) < 0) {
				*why = "not hex text";
				return -1;
			}
			if (hi < 0) {
				hi = v;
				continue;
			}
			if (n == size)
				return -1;
			buf[n++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
		if (hi >= 0) {
			*why = "odd number of hex digits";
			return -1;
		}
	}
	if (ferror(f)) {
		*why = strerror(errno);
		return -1;
	}
	return (long)n;
}

int
main(int argc, char **argv)
{
	const char *file = NULL, *name = "(stdin)", *why;
	unsigned vflags = PFKV2_V_MESSAGE | PFKV2_V_DIALECT, pflags = 0;
	int d = HOST_DIALECT, hex = 0, i, rc = 0;
	struct pfkv2_view v;
	struct pfkv2_diag diag;
	unsigned char *buf;
	char text[256];
	FILE *f = stdin;
	long len;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(argv[i], "--dialect") == 0 && i + 1 < argc) {
			if ((d = pfkv2_dialect_from_name(argv[++i])) < 0) {
				fprintf(stderr, "pfkv2-decode: unknown dialect "
				    "'%s'\n", argv[i]);
				return 2;
			}
		} else if (strcmp(argv[i], "--direction") == 0 &&
		    i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "in") == 0)
				vflags |= PFKV2_V_REQUEST;
			else if (strcmp(argv[i], "out") == 0)
				vflags |= PFKV2_V_REPLY;
			else {
				fprintf(stderr, "pfkv2-decode: direction must "
				    "be in or out\n");
				return 2;
			}
		} else if (strcmp(argv[i], "--hex") == 0)
			hex = 1;
		else if (strcmp(argv[i], "--strict") == 0)
			vflags |= PFKV2_V_STRICT;
		else if (strcmp(argv[i], "--json") == 0)
			pflags |= PFKV2_PRINT_JSON;
		else if (strcmp(argv[i], "--show-keys") == 0)
			pflags |= PFKV2_PRINT_KEYS;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "pfkv2-decode: bad option '%s'\n%s",
			    argv[i], usage);
			return 2;
		} else if (file == NULL)
			file = name = argv[i];
		else {
			fputs(usage, stderr);
			return 2;
		}
	}

	if (file != NULL && strcmp(file, "-") != 0 &&
	    (f = fopen(file, "rb")) == NULL) {
		fprintf(stderr, "pfkv2-decode: %s: %s\n", file,
		    strerror(errno));
		return 1;
	}
	if ((buf = malloc(PFKV2_MSG_MAXLEN)) == NULL) {
		perror("pfkv2-decode");
		return 1;
	}
	len = read_input(f, hex, buf, PFKV2_MSG_MAXLEN, &why);
	if (f != stdin)
		fclose(f);
	if (len < 0) {
		fprintf(stderr, "pfkv2-decode: %s: %s\n", name, why);
		free(buf);
		return 1;
	}

	if (pfkv2_parse(buf, (size_t)len, (enum pfkv2_dialect)d, vflags, &v,
	    &diag) == -1) {
		pfkv2_diag_format(&diag, text, sizeof(text));
		fprintf(stderr, "pfkv2-decode: %s: invalid message: %s\n",
		    name, text);
		rc = 1;
		/* Still show it when only the finer checks refused it. */
		if (pfkv2_parse(buf, (size_t)len, (enum pfkv2_dialect)d, 0,
		    &v, NULL) == -1) {
			free(buf);
			return rc;
		}
	}
	if (pfkv2_fprint(stdout, &v, pflags) == -1 || fflush(stdout) == EOF) {
		perror("pfkv2-decode: stdout");
		rc = 1;
	}
	free(buf);
	return rc;
}
