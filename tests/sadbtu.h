/*
 * Helpers shared by the engine tests (tests/test_sadb_*.c): an engine
 * with a few endpoints, requests built from a compact description, and
 * replies received and parsed.
 */
#ifndef PFKV2_SADBTU_H
#define PFKV2_SADBTU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pfkv2/pfkv2.h>

#define TU_NEP	4

/* Shorthands of the engine tests. */
#define A	"192.0.2.1"	/* the usual SRC */
#define B	"192.0.2.2"	/* and DST */
#define ESP	PFKV2_SATYPE_ESP
#define AH	PFKV2_SATYPE_AH
#define LNX	PFKV2_DIALECT_LINUX
#define FBSD	PFKV2_DIALECT_FREEBSD
#define ILL	PFKV2_DIALECT_ILLUMOS

struct tu_eng {
	enum pfkv2_dialect d;
	struct pfkv2_sadb *db;
	struct pfkv2_sadb_ep *ep[TU_NEP];
};

/* A request; zero fields are left out (or take the noted default). */
struct tu_msg {
	unsigned type, satype;
	uint32_t seq, pid;
	uint8_t err;
	bool sa;			/* put an SA extension */
	uint32_t spi;
	uint16_t state;			/* default MATURE */
	uint16_t auth, enc;
	uint8_t replay;
	uint32_t flags_raw;
	const char *src, *dst;		/* text, NULL: no extension */
	uint16_t sport, dport;
	uint8_t splen, dplen;		/* 0: full */
	uint8_t proto;			/* sadb_address_proto of both */
	const struct pfkv2_lifetime *hard, *soft, *cur;
	uint16_t abits, ebits;		/* keys filled with 0xA5 / 0x5A */
	uint8_t akey, ekey;		/* the fill byte if not 0 */
	bool sa2;
	uint16_t mode;
	uint32_t reqid;
	bool range;
	uint32_t rmin, rmax;
	bool kmc;
	uint16_t kmp;
	uint64_t cookie;
	uint32_t pair;
	const char *nsrc, *ndst;	/* FreeBSD NEW_ADDRESS_* */
	bool pol;
	struct pfkv2_policy policy;
	const struct pfkv2_ipsecrequest *reqs;
	size_t nreqs;
	bool natt;
	uint8_t natt_type;
	uint16_t natt_sport, natt_dport;
	const char *ident_src;		/* IDENTITY_SRC (FQDN) */
};

void tu_init(struct tu_eng *e, enum pfkv2_dialect d, uint32_t flags);
void tu_init_opts(struct tu_eng *e, const struct pfkv2_sadb_opts *o);
void tu_fini(struct tu_eng *e);

struct pfkv2_addr tu_addr(const char *text, uint16_t port);
size_t tu_build(enum pfkv2_dialect d, const struct tu_msg *m, uint8_t *buf,
    size_t cap);
/* Build and send on endpoint ep: pfkv2_sadb_send's result. */
int tu_send(struct tu_eng *e, unsigned ep, const struct tu_msg *m);

/*
 * The next message on endpoint ep, parsed structurally into *v (buf holds
 * it).  Returns its length; 0 when the queue is empty; -1 on ENOBUFS.
 */
long tu_recv(struct tu_eng *e, unsigned ep, uint8_t *buf, size_t cap,
    struct pfkv2_view *v);
/* The next message must be of this type with this errno (cmocka). */
void tu_expect(struct tu_eng *e, unsigned ep, unsigned type, int err,
    uint8_t *buf, size_t cap, struct pfkv2_view *v);
/* Nothing queued on ep (cmocka). */
void tu_none(struct tu_eng *e, unsigned ep);
/* Drop what is queued on every endpoint; returns how many messages. */
unsigned tu_drain(struct tu_eng *e);
/* Messages queued on ep. */
unsigned tu_count(struct tu_eng *e, unsigned ep);

/* Common requests. */
int tu_add(struct tu_eng *e, unsigned ep, unsigned satype, uint32_t spi,
    const char *src, const char *dst, const struct pfkv2_lifetime *hard,
    const struct pfkv2_lifetime *soft);
int tu_simple(struct tu_eng *e, unsigned ep, unsigned type, unsigned satype,
    uint32_t spi, const char *src, const char *dst);
/* REGISTER ep for satype and drop the replies. */
void tu_register(struct tu_eng *e, unsigned ep, unsigned satype);
/* The ADD message tu_add would send. */
void tu_add_msg(struct tu_msg *m, unsigned satype, uint32_t spi,
    const char *src, const char *dst);

/* The whole SA database as DUMP shows it, for before/after comparisons. */
size_t tu_dump_all(struct tu_eng *e, unsigned ep, uint8_t *out, size_t cap);

/* Whether ext is present, and the SA extension of a received message. */
bool tu_has(const struct pfkv2_view *v, unsigned ext);
struct pfkv2_sa tu_sa(const struct pfkv2_view *v);

/* Every dialect the engine speaks. */
extern const enum pfkv2_dialect tu_dialects[3];

int sadb_check_line(const struct pfkv2_sadb *db);

#endif
