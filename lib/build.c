/*
 * The builder core: the base header, room for extensions, measuring.
 * The message itself is the state: sadb_msg_len is rewritten after every
 * put, so the buffer always holds a complete message.
 */
#include "build_body.h"

PFKV2_API int
pfkv2_builder_init(struct pfkv2_builder *b, void *buf, size_t size,
    enum pfkv2_dialect d)
{
	const struct dl_dialect *dl = pfkv2_dl_get(d);

	if (b == NULL || dl == NULL || (buf == NULL && size != 0)) {
		errno = EINVAL;
		return -1;
	}
	memset(b, 0, sizeof(*b));
	b->buf_ = buf;
	/*
	 * No message is longer than PFKV2_MSG_MAXLEN, and b_grow() refuses
	 * that (ERANGE) before it looks at the room: capping cap_ changes no
	 * answer, and lets b_room() test both at once.
	 */
	b->cap_ = buf == NULL ? 0 : size < PFKV2_MSG_MAXLEN ? size :
	    PFKV2_MSG_MAXLEN;
	b->dl_ = dl;
	b->state_ = B_FRESH;
	return 0;
}

PFKV2_API size_t
pfkv2_builder_len(const struct pfkv2_builder *b)
{
	return b->len_;
}

PFKV2_API size_t
pfkv2_builder_needed(const struct pfkv2_builder *b)
{
	return b->need_;
}

PFKV2_API long
pfkv2_builder_finish(const struct pfkv2_builder *b)
{
	if (b->need_ == 0) {
		errno = EINVAL;
		return -1;
	}
	if (b->state_ == B_OVER) {
		errno = EMSGSIZE;
		return -1;
	}
	return (long)b->need_;
}

int
b_map(const struct pfkv2_builder *b, enum pfkv2_space s, unsigned id,
    unsigned *wire)
{
	int w;

	if (PFKV2_IS_WIRE(id)) {
		*wire = PFKV2_WIRE_VALUE(id);
		return 0;
	}
	if ((w = dl_c2w(b_dl(b), s, id)) < 0) {
		errno = ENOTSUP;
		return -1;
	}
	*wire = (unsigned)w;
	return 0;
}

/*
 * Account for n more bytes.  Returns 1 when they are to be written, 0 when
 * only counted (measuring, or after an overflow), -1 when refused.
 */
static int
b_grow(struct pfkv2_builder *b, size_t n)
{
	if (n > PFKV2_MSG_MAXLEN - b->need_) {
		errno = ERANGE;
		return -1;
	}
	if (b->state_ == B_MEASURE) {
		b->need_ += n;
		return 0;
	}
	if (b->state_ == B_OVER || n > b->cap_ - b->len_) {
		b->state_ = B_OVER;
		b->need_ += n;
		errno = EMSGSIZE;
		return -1;
	}
	return 1;
}

/* The checked path: every refusal, measuring, overflow. */
static NOINLINE int
put_msg_checked(struct pfkv2_builder *b, unsigned type, unsigned satype,
    uint32_t seq, uint32_t pid)
{
	unsigned wtype, wsatype;
	uint8_t *p;
	int r;

	if (b->state_ != B_FRESH || b->need_ != 0) {
		errno = EINVAL;
		return -1;
	}
	if (b_map(b, PFKV2_SP_MSG, type, &wtype) == -1 ||
	    b_map(b, PFKV2_SP_SATYPE, satype, &wsatype) == -1)
		return -1;
	if (wtype > 255 || wsatype > 255) {
		errno = ERANGE;
		return -1;
	}
	b->satype_ = (uint8_t)(PFKV2_IS_WIRE(satype) ?
	    v_canon(b_dl(b), PFKV2_SP_SATYPE, wsatype) : satype);
	if (b->buf_ == NULL) {
		b->state_ = B_MEASURE;
		b->need_ = sizeof(struct pfkv2_sadb_msg);
		return 0;
	}
	b->state_ = B_BUILDING;
	if ((r = b_grow(b, sizeof(struct pfkv2_sadb_msg))) != 1)
		return r;
	p = b->buf_;
	put_header(p, wtype, wsatype, 0, seq, pid);
	b->len_ = b->need_ = sizeof(struct pfkv2_sadb_msg);
	return 0;
}

PFKV2_API int
pfkv2_put_msg(struct pfkv2_builder *b, unsigned type, unsigned satype,
    uint32_t seq, uint32_t pid)
{
	int wt, ws;

	/* Fast path: a fresh builder with room, canonical ids it maps. */
	if (b->state_ == B_FRESH && b->need_ == 0 &&
	    b->cap_ >= sizeof(struct pfkv2_sadb_msg) &&
	    !PFKV2_IS_WIRE(satype) &&
	    (wt = b_wire8(b, PFKV2_SP_MSG, type)) >= 0 &&
	    (ws = b_wire8(b, PFKV2_SP_SATYPE, satype)) >= 0) {
		put_header(b->buf_, (unsigned)wt, (unsigned)ws, 0, seq,
		    pid);
		b->satype_ = (uint8_t)satype;
		b->state_ = B_BUILDING;
		b->len_ = b->need_ = sizeof(struct pfkv2_sadb_msg);
		return 0;
	}
	return put_msg_checked(b, type, satype, seq, pid);
}

PFKV2_API int
pfkv2_set_msg_errno(struct pfkv2_builder *b, uint8_t err, uint16_t reserved)
{
	if (b->state_ == B_FRESH) {
		errno = EINVAL;
		return -1;
	}
	if (b->len_ >= sizeof(struct pfkv2_sadb_msg)) {
		b->buf_[OFF(msg, sadb_msg_errno)] = err;
		st16(b->buf_ + OFF(msg, sadb_msg_reserved), reserved);
	}
	return 0;
}

/*
 * Check that extension ext may be put: header first, not twice, known to
 * the dialect, of the kind the put function builds.
 */
int
b_check_ext(struct pfkv2_builder *b, unsigned ext, unsigned kind)
{
	if (b->state_ == B_FRESH || ext >= PFKV2_EXT_COUNT ||
	    ext == PFKV2_EXT_RESERVED || pfkv2_ext_info[ext].kind != kind ||
	    (b->present_ & PFKV2_EXTBIT(ext)) != 0) {
		errno = EINVAL;
		return -1;
	}
	if (dl_c2w(b_dl(b), PFKV2_SP_EXT, ext) < 0) {
		errno = ENOTSUP;
		return -1;
	}
	return 0;
}

/*
 * Append `size` bytes (a multiple of 8) for an extension of wire type
 * wtype.  Returns zeroed memory with the extension header filled in, or
 * NULL with *rc set to what the put must return: 0 when the builder only
 * measures, -1 (errno EMSGSIZE or ERANGE) when the put is refused.
 */
static uint8_t *
b_append(struct pfkv2_builder *b, unsigned wtype, size_t size, int *rc)
{
	uint8_t *p;

	if (size / PFKV2_WORD > UINT16_MAX) {
		errno = ERANGE;
		*rc = -1;
		return NULL;
	}
	if ((*rc = b_grow(b, size)) != 1)
		return NULL;
	p = b->buf_ + b->len_;
	memset(p, 0, size);
	ext_head(p, size, wtype);
	b->len_ += size;
	b->need_ = b->len_;
	st16(b->buf_ + OFF(msg, sadb_msg_len), (uint16_t)(b->len_ / 8));
	return p;
}

/*
 * Room for canonical extension ext of `size` bytes (header included,
 * rounded up to 8); see b_append().  The extension counts as present even
 * when only counted, so the measure and the real build refuse alike.
 */
uint8_t *
b_reserve(struct pfkv2_builder *b, unsigned ext, size_t size, int *rc)
{
	uint8_t *p;

	p = b_append(b, (unsigned)dl_c2w(b_dl(b), PFKV2_SP_EXT, ext),
	    pad8(size), rc);
	if (p != NULL || *rc == 0 || errno == EMSGSIZE)
		b->present_ |= PFKV2_EXTBIT(ext);
	return p;
}

PFKV2_API int
pfkv2_put_ext_raw(struct pfkv2_builder *b, uint16_t wire_type,
    const void *body, size_t len)
{
	uint8_t *p;
	int rc;

	/* Type 0 is reserved: no parser would accept it. */
	if (b->state_ == B_FRESH || wire_type == 0 ||
	    (body == NULL && len != 0)) {
		errno = EINVAL;
		return -1;
	}
	if (len > PFKV2_MSG_MAXLEN) {
		errno = ERANGE;
		return -1;
	}
	if ((p = b_append(b, wire_type, pad8(4 + len), &rc)) == NULL)
		return rc;
	if (len != 0)
		memcpy(p + 4, body, len);
	return 0;
}
