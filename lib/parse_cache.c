/*
 * The parse cache: pfkv2_parse_cached() remembers the shape of each
 * message it accepted and accepts a later message of the same shape by
 * comparing words instead of running the checks again.
 *
 * Why it is sound.  When the full parse accepts a message, every byte a
 * rule could read is recorded ("masked"), with its value; the bytes no
 * rule reads under any flags are left free (free_bytes()).  A later
 * message with the same dialect, flags and length that agrees on every
 * masked byte has the same extension headers (lengths and types are
 * masked), hence the same layout, hence the same free bytes, and every
 * rule reads there what it read before: the verdict and the view are the
 * same, with pointers into the new buffer.  Anything else (a mismatch, a
 * refusal, a message too long or with too many extensions) takes the
 * full parse, so a refusal's diagnostic is always the full parse's.
 * test_parse_cache and fuzz_parse compare the two on every input.
 *
 * The free bytes are what changes from one message of a daemon to the
 * next: seq and pid, the SPI, addresses and ports, key material,
 * lifetimes, reqids and policy ids.  illumos reads more (soft against
 * hard lifetimes, all-zero keys, the v6-any source), so on illumos only
 * seq and pid are free.
 */
#include "internal.h"

#define PC_SLOT_BITS	4
#define PC_SLOTS	(1u << PC_SLOT_BITS)	/* probed in pairs */
#define PC_MAXLEN	1024	/* the longest message cached, in bytes */
#define PC_MAXEXT	24	/* the most extensions a cached message has */
#define PC_BLOCKS	32	/* the most 16-byte blocks a shape compares */
_Static_assert(PC_MAXEXT == 24, "pc_view() has one case per extension");

/* The part of the view a hit copies whole: all from len_ to ext_. */
#define VHEAD_OFF	offsetof(struct pfkv2_view, len_)
#define VHEAD_LEN	(offsetof(struct pfkv2_view, ext_) - VHEAD_OFF)

/* Sixteen bytes compared at once (SSE2 on x86-64, NEON on arm64). */
typedef uint64_t u64x2 __attribute__((vector_size(16)));

/* One remembered shape. */
struct pc_slot {
	uint64_t head;		/* bytes 0..7: version, type, errno, satype, len */
	uint64_t key;		/* pc_key(flags); 0 when unused */
	uint8_t used;		/* hit since the pair last learned */
	uint8_t nx;		/* extensions in off[] and id[] */
	uint16_t nblk;		/* 16-byte blocks compared */
	/* The view's fields after msg_ and before ext_, as the parse left them. */
	unsigned char vhead[VHEAD_LEN];
	uint16_t off[PC_MAXEXT];	/* each extension's offset */
	uint8_t id[PC_MAXEXT];		/* and canonical id */
	/* The blocks that hold compared bytes: where, masked value, mask. */
	uint16_t boff[PC_BLOCKS];
	struct pc_block {
		u64x2 want, mask;
	} blk[PC_BLOCKS];
};

struct pc {
	struct pc_slot slot[PC_SLOTS];
	uint64_t hits, misses;
	uint32_t dialect;	/* the dialect + 1; 0: not initialised */
};

_Static_assert(sizeof(struct pc) + 15 <= sizeof(struct pfkv2_parse_cache),
    "PFKV2_PARSE_CACHE_SIZE is too small for the cache");

/* The cache inside the caller's storage, aligned for the blocks. */
static ALWAYS_INLINE struct pc *
pc_of(struct pfkv2_parse_cache *c)
{
	return (struct pc *)(((uintptr_t)c->opaque_ + 15) & ~(uintptr_t)15);
}

/* The first slot of the pair a message's head hashes to. */
static ALWAYS_INLINE unsigned
pc_pair(uint64_t head)
{
	return (unsigned)((head * UINT64_C(0x9e3779b97f4a7c15)) >>
	    (64 - PC_SLOT_BITS)) & (PC_SLOTS - 2);
}

/* What a slot is for besides the head: the flags, never 0. */
static ALWAYS_INLINE uint64_t
pc_key(unsigned flags)
{
	return (uint64_t)flags | UINT64_C(1) << 32;
}

/* Whether the 16 bytes at p agree with block k where it masks. */
static ALWAYS_INLINE u64x2
pc_diff(const uint8_t *p, const struct pc_block *k)
{
	u64x2 x;

	memcpy(&x, p, sizeof(x));
	return (x ^ k->want) & k->mask;
}

/*
 * Whether the message at m (of the slot's length) agrees on every mask:
 * an odd block first, then two a round.
 */
static ALWAYS_INLINE bool
pc_match(const struct pc_slot *s, const uint8_t *m)
{
	const struct pc_block *k = s->blk, *end = k + s->nblk;
	const uint16_t *o = s->boff;
	u64x2 a = { 0, 0 }, b = { 0, 0 };

	if ((s->nblk & 1u) != 0) {
		a = pc_diff(m + o[0], &k[0]);
		k++;
		o++;
	}
	for (; k != end; k += 2, o += 2) {
		a |= pc_diff(m + o[0], &k[0]);
		b |= pc_diff(m + o[1], &k[1]);
	}
	a |= b;
	return (a[0] | a[1]) == 0;
}

/* The view the full parse gave for the slot's shape, on message m. */
static ALWAYS_INLINE void
pc_view(const struct pc_slot *s, const uint8_t *m, struct pfkv2_view *v)
{
	const uint8_t *id = s->id;
	const uint16_t *o = s->off;

	v->msg_ = m;
	memcpy((char *)v + VHEAD_OFF, s->vhead, VHEAD_LEN);
	/* One store per extension, entered at the count (nx > 0). */
	switch (s->nx) {
	case 24:
		v->ext_[id[23]] = m + o[23];
		/* FALLTHROUGH */
	case 23:
		v->ext_[id[22]] = m + o[22];
		/* FALLTHROUGH */
	case 22:
		v->ext_[id[21]] = m + o[21];
		/* FALLTHROUGH */
	case 21:
		v->ext_[id[20]] = m + o[20];
		/* FALLTHROUGH */
	case 20:
		v->ext_[id[19]] = m + o[19];
		/* FALLTHROUGH */
	case 19:
		v->ext_[id[18]] = m + o[18];
		/* FALLTHROUGH */
	case 18:
		v->ext_[id[17]] = m + o[17];
		/* FALLTHROUGH */
	case 17:
		v->ext_[id[16]] = m + o[16];
		/* FALLTHROUGH */
	case 16:
		v->ext_[id[15]] = m + o[15];
		/* FALLTHROUGH */
	case 15:
		v->ext_[id[14]] = m + o[14];
		/* FALLTHROUGH */
	case 14:
		v->ext_[id[13]] = m + o[13];
		/* FALLTHROUGH */
	case 13:
		v->ext_[id[12]] = m + o[12];
		/* FALLTHROUGH */
	case 12:
		v->ext_[id[11]] = m + o[11];
		/* FALLTHROUGH */
	case 11:
		v->ext_[id[10]] = m + o[10];
		/* FALLTHROUGH */
	case 10:
		v->ext_[id[9]] = m + o[9];
		/* FALLTHROUGH */
	case 9:
		v->ext_[id[8]] = m + o[8];
		/* FALLTHROUGH */
	case 8:
		v->ext_[id[7]] = m + o[7];
		/* FALLTHROUGH */
	case 7:
		v->ext_[id[6]] = m + o[6];
		/* FALLTHROUGH */
	case 6:
		v->ext_[id[5]] = m + o[5];
		/* FALLTHROUGH */
	case 5:
		v->ext_[id[4]] = m + o[4];
		/* FALLTHROUGH */
	case 4:
		v->ext_[id[3]] = m + o[3];
		/* FALLTHROUGH */
	case 3:
		v->ext_[id[2]] = m + o[2];
		/* FALLTHROUGH */
	case 2:
		v->ext_[id[1]] = m + o[1];
		/* FALLTHROUGH */
	case 1:
		v->ext_[id[0]] = m + o[0];
		/* FALLTHROUGH */
	default:
		break;
	}
}

/* A hit on slot s: marked used, counted, the view written. */
static ALWAYS_INLINE int
pc_hit(struct pc *pc, struct pc_slot *s, const uint8_t *m,
    struct pfkv2_view *v, struct pfkv2_diag *diag)
{
	s->used = 1;
	pc->hits++;
	pc_view(s, m, v);
	return diag == NULL ? 0 : parse_ok(diag, v);
}

/* Clear the mask over n bytes at offset off of the message. */
static void
free_span(uint8_t *mask, size_t off, size_t n)
{
	memset(mask + off, 0, n);
}

/*
 * The port and address of the sockaddr at offset off: its length, or 0
 * (nothing freed) when its head is not one of the dialect's.
 */
static size_t
free_sockaddr(const struct dl_dialect *dl, const uint8_t *msg, size_t off,
    uint8_t *mask)
{
	uint16_t head = ld16(msg + off);

	if (head == dl->sa_head4) {
		free_span(mask, off + 2, 6);	/* sin_port, sin_addr */
		return 16;
	}
	if (head == dl->sa_head6) {
		free_span(mask, off + 2, 2);	/* sin6_port */
		free_span(mask, off + 8, 16);	/* sin6_addr */
		return dl->sin6_len;
	}
	return 0;
}

/* The ipsecrequests' reqids and tunnel endpoints of a 16-byte-form policy. */
static void
free_policy(const struct dl_dialect *dl, const uint8_t *msg, size_t eoff,
    size_t elen, uint8_t *mask)
{
	size_t off, rq, n1;

	free_span(mask, eoff + 8, 8);		/* policy id, priority */
	for (off = 16; elen - off >= 16; off += rq) {
		/* Accepted: whole requests, endpoints of one family. */
		if ((rq = ld16(msg + eoff + off)) < 16 || rq > elen - off)
			return;
		free_span(mask, eoff + off + 8, 4);	/* reqid */
		if (rq > 16 && (n1 = free_sockaddr(dl, msg, eoff + off + 16,
		    mask)) != 0 && 16 + 2 * n1 <= rq)
			(void)free_sockaddr(dl, msg, eoff + off + 16 + n1, mask);
	}
}

/*
 * The bytes of extension c (at eoff, elen bytes, accepted) that no rule
 * reads, cleared in mask.  What is not named here stays compared.
 */
static void
free_bytes(const struct dl_dialect *dl, const uint8_t *msg, unsigned c,
    size_t eoff, size_t elen, uint8_t *mask)
{
	const size_t csz = sizeof(struct pfkv2_sadb_comb);
	const size_t clife = offsetof(struct pfkv2_sadb_comb,
	    sadb_comb_soft_allocations);
	size_t need, q;

	switch (c) {
	case PFKV2_EXT_SA:
		free_span(mask, eoff + 4, 4);			/* spi */
		break;
	case PFKV2_EXT_SA2:
		free_span(mask, eoff + 8, 8);		/* sequence, reqid */
		break;
	case PFKV2_EXT_LIFETIME_CURRENT:
	case PFKV2_EXT_LIFETIME_HARD:
	case PFKV2_EXT_LIFETIME_SOFT:
		free_span(mask, eoff + 4, 28);		/* the four counts */
		break;
	case PFKV2_EXT_ADDRESS_SRC:
	case PFKV2_EXT_ADDRESS_DST:
	case PFKV2_EXT_ADDRESS_PROXY:
		(void)free_sockaddr(dl, msg, eoff + 8, mask);
		break;
	case PFKV2_EXT_KEY_AUTH:
	case PFKV2_EXT_KEY_ENCRYPT:
		/* The key's bytes; bits and padding stay compared. */
		need = (ld16(msg + eoff + 4) + 7u) / 8u;
		free_span(mask, eoff + 8, need);
		break;
	case PFKV2_EXT_POLICY:
		if (dl->isr_size == 16)
			free_policy(dl, msg, eoff, elen, mask);
		break;
	case PFKV2_EXT_PROPOSAL:
		/* Each combination's lifetimes; algorithms and bits stay. */
		for (q = 8; elen - q >= csz; q += csz)
			free_span(mask, eoff + q + clife, csz - clife);
		break;
	default:
		break;
	}
}

/*
 * Remember the shape of the message the full parse accepted into v, in
 * slot s (empty: key 0), unless it needs more blocks than a slot holds.
 */
static void
pc_learn(struct pc_slot *s, const struct pfkv2_view *v, unsigned flags)
{
	const struct dl_dialect *dl = v_dl(v);
	const uint8_t *msg = v->msg_;
	size_t len = v->len_, i, eoff;
	uint8_t mask[PC_MAXLEN];
	uint64_t pr;
	unsigned c, n = 0;

	memset(mask, 0xff, len);
	free_span(mask, 8, 8);			/* seq, pid */
	for (pr = v->present; pr != 0; pr &= pr - 1) {
		c = (unsigned)__builtin_ctzll(pr);
		eoff = (size_t)(v->ext_[c] - msg);
		s->id[n] = (uint8_t)c;
		s->off[n++] = (uint16_t)eoff;
		if (dl->id != PFKV2_DIALECT_ILLUMOS)
			free_bytes(dl, msg, c, eoff,
			    (size_t)ld16(msg + eoff) * PFKV2_WORD, mask);
	}
	s->nx = (uint8_t)n;
	/*
	 * Cover the compared bytes after the head (bytes 0..7, compared
	 * whole) with 16-byte blocks, each starting at the first byte not
	 * yet covered (the last one ends at the message's end, at byte 8 or
	 * later): the free runs in between are never read.
	 */
	for (n = 0, i = 8; i < len; i++) {
		if (mask[i] == 0)
			continue;
		if (n == PC_BLOCKS)
			return;			/* too many: not remembered */
		eoff = i + 16 <= len ? i : len - 16;
		s->boff[n] = (uint16_t)eoff;
		s->blk[n].mask[0] = ld64(mask + eoff);
		s->blk[n].mask[1] = ld64(mask + eoff + 8);
		s->blk[n].want[0] = ld64(msg + eoff) & s->blk[n].mask[0];
		s->blk[n].want[1] = ld64(msg + eoff + 8) & s->blk[n].mask[1];
		n++;
		i = eoff + 15;
	}
	s->nblk = (uint16_t)n;
	s->head = ld64(msg);
	s->key = pc_key(flags);
	s->used = 0;
	memcpy(s->vhead, (const char *)v + VHEAD_OFF, VHEAD_LEN);
}

/*
 * A miss (the arguments were checked): the full parse, and the message's
 * shape remembered when it accepts and the cache can hold it.  It takes
 * pfkv2_parse_cached()'s arguments, so that a miss is a plain jump.
 */
static NOINLINE int
pc_miss(struct pc *pc, const uint8_t *msg, size_t len, unsigned flags,
    struct pfkv2_view *v, struct pfkv2_diag *diag)
{
	struct pc_slot *s;
	unsigned k;

	/* Zeroed storage: no slot matched, and this is no cache yet. */
	if (pc->dialect == 0) {
		errno = EINVAL;
		return -1;
	}
	pc->misses++;
	if (pfkv2_parse(msg, len, (enum pfkv2_dialect)(pc->dialect - 1), flags,
	    v, diag) != 0)
		return -1;
	if (len < 16 || len > PC_MAXLEN ||
	    __builtin_popcountll(v->present) > PC_MAXEXT)
		return 0;
	/*
	 * An empty slot of the pair, else one not hit since the pair last
	 * learned (the second if both were); the one kept must be hit again
	 * before the next to stay.
	 */
	s = &pc->slot[pc_pair(ld64(msg))];
	k = s[0].key == 0 ? 0 : s[1].key == 0 ? 1 :
	    s[1].used == 0 || s[0].used != 0 ? 1 : 0;
	s[k ^ 1].used = 0;
	s[k].key = 0;			/* empty until learned */
	pc_learn(&s[k], v, flags);
	return 0;
}

/* The first slot of the pair did not match: the second, or a miss. */
static NOINLINE int
pc_second(struct pc *pc, const uint8_t *msg, size_t len, unsigned flags,
    struct pfkv2_view *v, struct pfkv2_diag *diag)
{
	unsigned pair = pc_pair(ld64(msg));
	struct pc_slot *s = &pc->slot[pair + 1];

	if (!(s->head == ld64(msg) && s->key == pc_key(flags) &&
	    pc_match(s, msg)))
		return pc_miss(pc, msg, len, flags, v, diag);
	return pc_hit(pc, s, msg, v, diag);
}

PFKV2_API int
pfkv2_parse_cache_init(struct pfkv2_parse_cache *c, enum pfkv2_dialect d)
{
	if (c == NULL || (unsigned)d >= PFKV2_DIALECT_COUNT) {
		errno = EINVAL;
		return -1;
	}
	memset(c, 0, sizeof(*c));
	pc_of(c)->dialect = (uint32_t)d + 1;
	return 0;
}

PFKV2_API int
pfkv2_parse_cache_stats(const struct pfkv2_parse_cache *c, uint64_t *hits,
    uint64_t *misses)
{
	const struct pc *pc;

	if (c == NULL) {
		errno = EINVAL;
		return -1;
	}
	pc = pc_of((struct pfkv2_parse_cache *)(uintptr_t)c);
	if (pc->dialect == 0) {
		errno = EINVAL;
		return -1;
	}
	if (hits != NULL)
		*hits = pc->hits;
	if (misses != NULL)
		*misses = pc->misses;
	return 0;
}

PFKV2_API int
pfkv2_parse_cached(struct pfkv2_parse_cache *c, const void *buf, size_t len,
    unsigned flags, struct pfkv2_view *v, struct pfkv2_diag *diag)
{
	const uint8_t *msg = buf;
	struct pc_slot *s;
	struct pc *pc;
	uint64_t head, key;

	if (c == NULL || v == NULL || (buf == NULL && len != 0)) {
		errno = EINVAL;
		return -1;
	}
	pc = pc_of(c);
	/* The head holds the length field: equal heads, equal lengths. */
	if (len < 16 || (size_t)ld16(msg + 4) * 8 != len)
		return pc_miss(pc, msg, len, flags, v, diag);
	head = ld64(msg);
	key = pc_key(flags);
	s = &pc->slot[pc_pair(head)];
	if (!(s->head == head && s->key == key && pc_match(s, msg)))
		return pc_second(pc, msg, len, flags, v, diag);
	return pc_hit(pc, s, msg, v, diag);
}
