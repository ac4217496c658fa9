/*
 * Regenerates the seed corpora of fuzz/corpus/: the test fixtures behind
 * selector bytes, plus FreeBSD and illumos messages made with the builder.
 * Files are named by a hash of their content.  Usage: mkcorpus DATADIR OUTDIR
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pfkv2/pfkv2.h>

static const char *outdir;

/* FNV-1a, 64 bits: enough to name files uniquely. */
static unsigned long long
hash(const uint8_t *p, size_t n)
{
	unsigned long long h = 1469598103934665603ULL;

	while (n-- > 0)
		h = (h ^ *p++) * 1099511628211ULL;
	return h;
}

static void
emit(const char *target, uint8_t sel, const uint8_t *msg, size_t n)
{
	uint8_t buf[4096];
	char path[4096];
	FILE *f;

	if (n + 1 > sizeof(buf))
		return;
	buf[0] = sel;
	memcpy(buf + 1, msg, n);
	snprintf(path, sizeof(path), "%s/%s", outdir, target);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%016llx", outdir, target,
	    hash(buf, n + 1));
	if ((f = fopen(path, "wb")) == NULL) {
		perror(path);
		exit(1);
	}
	fwrite(buf, 1, n + 1, f);
	fclose(f);
}

/* A message for every dialect and selector the parse harness knows. */
static void
seed_msg(uint8_t dialect, const uint8_t *msg, size_t n)
{
	static const uint8_t sels[] = { 0x00, 0x0c, 0x2c, 0x4c, 0x3c, 0x5c };
	size_t i;

	for (i = 0; i < sizeof(sels); i++)
		emit("parse", (uint8_t)(sels[i] | dialect), msg, n);
	emit("roundtrip", dialect, msg, n);
}

static size_t
load(const char *path, uint8_t *buf, size_t size, int hex)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0;
	int c, hi = -1, v;

	if (f == NULL)
		return 0;
	if (!hex) {
		n = fread(buf, 1, size, f);
		fclose(f);
		return n;
	}
	while ((c = fgetc(f)) != EOF && n < size) {
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else
			continue;
		if (hi < 0)
			hi = v;
		else {
			buf[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	fclose(f);
	return n;
}

static void
seed_dir(const char *dir, int hex)
{
	uint8_t buf[4096];
	char path[4096];
	struct dirent *de;
	DIR *d = opendir(dir);
	size_t n;

	if (d == NULL) {
		perror(dir);
		exit(1);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strstr(de->d_name, hex ? ".hex" :
		    ".bin") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((n = load(path, buf, sizeof(buf), hex)) > 0)
			seed_msg(PFKV2_DIALECT_LINUX, buf, n);
	}
	closedir(d);
}

/* Messages of the other dialects, made with the builder. */
static void
seed_built(void)
{
	uint8_t buf[1024];
	struct pfkv2_builder b;
	struct pfkv2_address s = { .prefixlen = 32 }, t = { .prefixlen = 32 };
	struct pfkv2_sa sa = { .spi = 0x1234, .replay = 4,
	    .state = PFKV2_SASTATE_MATURE, .auth = PFKV2_AALG_SHA1HMAC,
	    .encrypt = PFKV2_EALG_AESCBC };
	struct pfkv2_key k = { "0123456789abcdef0123", 160, 0 };
	struct pfkv2_ipsecrequest r = { .proto = 50,
	    .mode = PFKV2_MODE_TUNNEL, .level = PFKV2_LEVEL_REQUIRE };
	struct pfkv2_policy pol = { PFKV2_POLICY_IPSEC, PFKV2_DIR_OUTBOUND,
	    0, 0, 0 };
	struct pfkv2_algdesc ad = { PFKV2_SATYPE_ESP, 2, PFKV2_EALG_AESCBC,
	    0, 128, 256 };
	struct pfkv2_ecomb ec = { .numalgs = 1, .algs = &ad };
	int d;

	pfkv2_addr_parse(&s.addr, "2001:db8::1", 0);
	pfkv2_addr_parse(&t.addr, "2001:db8::2", 500);
	r.src = s.addr;
	r.dst = t.addr;
	for (d = PFKV2_DIALECT_FREEBSD; d <= PFKV2_DIALECT_ILLUMOS; d++) {
		pfkv2_builder_init(&b, buf, sizeof(buf), d);
		pfkv2_put_msg(&b, PFKV2_MSG_UPDATE, PFKV2_SATYPE_ESP, 3, 42);
		pfkv2_put_sa(&b, &sa);
		pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &s);
		pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &t);
		pfkv2_put_key(&b, PFKV2_EXT_KEY_AUTH, &k);
		pfkv2_put_sa2(&b, &(struct pfkv2_sa2){ PFKV2_MODE_TUNNEL, 0,
		    7 });
		pfkv2_put_nat_t_type(&b, 2);
		pfkv2_put_nat_t_port(&b, PFKV2_EXT_NAT_T_SPORT, 4500);
		pfkv2_put_sa_replay(&b, 1024);
		pfkv2_put_address(&b, PFKV2_EXT_NEW_ADDRESS_DST, &s);
		pfkv2_put_kmc(&b, &(struct pfkv2_kmc){ PFKV2_KMP_IKEV2, 77 });
		pfkv2_put_pair(&b, 0x4321);
		pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_INNER_DST, &t);
		pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_IDLE,
		    &(struct pfkv2_lifetime){ 0, 0, 60, 0 });
		seed_msg((uint8_t)d, buf, (size_t)pfkv2_builder_finish(&b));

		pfkv2_builder_init(&b, buf, sizeof(buf), d);
		pfkv2_put_msg(&b, d == PFKV2_DIALECT_FREEBSD ?
		    PFKV2_MSG_X_SPDADD : PFKV2_MSG_ACQUIRE, 0, 4, 42);
		pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &s);
		pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &t);
		pfkv2_put_policy(&b, &pol, &r, 1);
		pfkv2_put_eprop(&b, 32, &ec, 1);
		pfkv2_put_ereg(&b, (uint16_t[]){ PFKV2_SATYPE_ESP }, 1);
		seed_msg((uint8_t)d, buf, (size_t)pfkv2_builder_finish(&b));
	}
}

/* Builder programs: a few op sequences the harness decodes. */
static void
seed_build(void)
{
	static const uint8_t progs[][24] = {
		{ 3, 255, 3, 2, 1, 0, 0, 0, 0, 0, 0, 2, 0, 4, 1, 3, 0 },
		{ 1, 16, 2, 2, 0, 0, 0, 0, 12, 3, 9, 1, 1, 2, 0, 1, 1, 4, 0 },
		{ 2, 100, 7, 3, 0, 0, 0, 0, 0, 0, 0, 0, 22, 4, 0, 3, 2 },
		{ 3, 200, 6, 2, 0, 0, 0, 0, 23, 0, 0, 3, 7, 0, 0, 0, 24, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
		emit("build", progs[i][0], progs[i] + 1, sizeof(progs[i]) - 1);
}

int
main(int argc, char **argv)
{
	char path[4096];

	if (argc != 3) {
		fprintf(stderr, "usage: mkcorpus DATADIR OUTDIR\n");
		return 2;
	}
	outdir = argv[2];
	mkdir(outdir, 0755);
	snprintf(path, sizeof(path), "%s/corpus", argv[1]);
	seed_dir(path, 0);
	snprintf(path, sizeof(path), "%s/linux-vectors", argv[1]);
	seed_dir(path, 1);
	seed_built();
	seed_build();
	return 0;
}
