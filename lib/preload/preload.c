/*
 * libpfkv2-preload: make socket(PF_KEY, SOCK_RAW, PF_KEY_V2) of an
 * unmodified program reach pfkv2-simd(8).  See libpfkv2-preload(7).
 *
 * With LD_PRELOAD naming this module and PFKV2_SIMD_SOCKET naming the
 * daemon's socket, socket(PF_KEY, ...) returns an AF_UNIX SOCK_SEQPACKET
 * socket connected to the daemon.  Nothing else needs changing: the
 * descriptor is a real socket, SEQPACKET keeps message boundaries as a
 * PF_KEY socket does, and read, write, send, recv, sendmsg, recvmsg, poll,
 * select, epoll, MSG_PEEK, MSG_TRUNC (a short buffer truncates the message
 * and drops the rest; with MSG_TRUNC in the flags recv returns the whole
 * length) and SO_RCVBUF all work on it as they are.  The largest message
 * write() takes is sk_sndbuf - 32 bytes on both.
 *
 * So only these are interposed:
 *	socket		to open PF_KEY sockets as connections to the daemon;
 *	getsockopt	SO_DOMAIN, SO_TYPE, SO_PROTOCOL say PF_KEY, SOCK_RAW,
 *			PF_KEY_V2 on our descriptors, as the kernel's would;
 *	getsockname,	fail with EOPNOTSUPP, as Linux PF_KEY sockets do
 *	getpeername	(an AF_UNIX address would give the game away);
 *	shutdown	fails with EOPNOTSUPP, as on Linux PF_KEY, rather than
 *			cut the connection to the daemon;
 *	close, dup, dup2, dup3, fcntl, fcntl64 (F_DUPFD, F_DUPFD_CLOEXEC)
 *			to keep the table of our descriptors right.
 * Every other call, and every call on any other descriptor, goes to libc
 * untouched.
 *
 * This file uses libc only: it must not link libpfkv2, since it is loaded
 * into arbitrary programs, and it is built without sanitizers.
 */
#define _GNU_SOURCE		/* RTLD_NEXT, dup3(), SO_DOMAIN, SO_PROTOCOL */
/*
 * With 64-bit file offsets <fcntl.h> renames fcntl to fcntl64; we define
 * both names ourselves.
 */
#undef _FILE_OFFSET_BITS

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "simd-proto.h"

#ifndef PF_KEY
#define PF_KEY		15	/* Linux */
#endif
#define PF_KEY_V2	2

/* Exported names: the version script keeps everything else local. */
#define SHIM_API	__attribute__((visibility("default")))

SHIM_API int socket(int domain, int type, int protocol);
SHIM_API int close(int fd);
SHIM_API int dup(int fd);
SHIM_API int dup2(int fd, int fd2);
SHIM_API int dup3(int fd, int fd2, int flags);
SHIM_API int fcntl(int fd, int cmd, ...);
SHIM_API int fcntl64(int fd, int cmd, ...);
SHIM_API int getsockopt(int fd, int level, int name, void *val,
    socklen_t *len);
SHIM_API int getsockname(int fd, struct sockaddr *sa, socklen_t *len);
SHIM_API int getpeername(int fd, struct sockaddr *sa, socklen_t *len);
SHIM_API int shutdown(int fd, int how);

/*
 * The global state, and why it must be global: an interposed socket() or
 * close() is called by a program that knows nothing of us, so there is no
 * handle to hang state on.  It is one object: the libc functions we
 * forward to (resolved once, at load, so that close() in a signal handler
 * never calls into the dynamic loader), and a fixed table of the
 * descriptors that are PF_KEY sockets.
 *
 * The table is lock-free so that every interposed call stays
 * async-signal-safe (close() and dup2() are) and a signal handler can
 * never deadlock on a lock its thread holds.  A slot's key is fd + 1 when
 * in use, 0 when free, -1 while being filled.  Each entry also records the
 * socket's inode: a descriptor closed behind our back (close_range(2),
 * syscall(2), exec) and reused for something else is recognised as stale
 * by fstat() and forgotten, never misreported as PF_KEY.
 */
#define NSLOTS		64
#define SLOT_BUSY	(-1)

struct slot {
	atomic_int key;
	atomic_ullong ino;
};

typedef int (*socket_fn)(int, int, int);
typedef int (*close_fn)(int);
typedef int (*dup_fn)(int);
typedef int (*dup2_fn)(int, int);
typedef int (*dup3_fn)(int, int, int);
typedef int (*fcntl_fn)(int, int, ...);
typedef int (*getsockopt_fn)(int, int, int, void *, socklen_t *);
typedef int (*getname_fn)(int, struct sockaddr *, socklen_t *);
typedef int (*shutdown_fn)(int, int);

struct real {
	socket_fn socket;
	close_fn close;
	dup_fn dup;
	dup2_fn dup2;
	dup3_fn dup3;
	fcntl_fn fcntl;
	fcntl_fn fcntl64;
	getsockopt_fn getsockopt;
	getname_fn getsockname;
	getname_fn getpeername;
	shutdown_fn shutdown;
};

static struct {
	struct slot slots[NSLOTS];
	struct real real;
} shim;

/*
 * The next definition of a libc name.  dlsym() hands back a void *; going
 * through memcpy keeps the object-to-function conversion well defined.
 */
static void
resolve(void *dst, size_t size, const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (p != NULL && size == sizeof(p))
		memcpy(dst, &p, size);
}

#define RESOLVE(f, name) do {						\
	if (shim.real.f == NULL)					\
		resolve(&shim.real.f, sizeof(shim.real.f), name);	\
} while (0)

static void
resolve_all(void)
{
	RESOLVE(socket, "socket");
	RESOLVE(close, "close");
	RESOLVE(dup, "dup");
	RESOLVE(dup2, "dup2");
	RESOLVE(dup3, "dup3");
	RESOLVE(fcntl, "fcntl");
	RESOLVE(fcntl64, "fcntl64");
	if (shim.real.fcntl64 == NULL)	/* before glibc 2.28 */
		shim.real.fcntl64 = shim.real.fcntl;
	RESOLVE(getsockopt, "getsockopt");
	RESOLVE(getsockname, "getsockname");
	RESOLVE(getpeername, "getpeername");
	RESOLVE(shutdown, "shutdown");
}

/* At load, before main() and before any thread. */
__attribute__((constructor)) static void
shim_init(void)
{
	resolve_all();
}

/*
 * Some other library's constructor may call us before ours ran: resolve
 * on the spot then.  A name libc lacks fails the call with ENOSYS.
 */
#define REAL(f)								\
	(shim.real.f != NULL ? shim.real.f : (resolve_all(), shim.real.f))
#define NOSYS(f) do {							\
	if (REAL(f) == NULL) {						\
		errno = ENOSYS;						\
		return -1;						\
	}								\
} while (0)

/* The inode of a socket descriptor, 0 when fd is not an open socket. */
static unsigned long long
sock_ino(int fd)
{
	struct stat st;
	int e = errno;

	if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) {
		errno = e;
		return 0;
	}
	return (unsigned long long)st.st_ino;
}

static void
forget(int fd)
{
	int k;
	size_t i;

	for (i = 0; i < NSLOTS; i++) {
		k = fd + 1;
		(void)atomic_compare_exchange_strong(&shim.slots[i].key, &k, 0);
	}
}

/* Drop entries whose descriptor is no longer the socket we made. */
static void
sweep(void)
{
	int k;
	size_t i;

	for (i = 0; i < NSLOTS; i++) {
		k = atomic_load(&shim.slots[i].key);
		if (k > 0 && sock_ino(k - 1) != atomic_load(&shim.slots[i].ino))
			(void)atomic_compare_exchange_strong(
			    &shim.slots[i].key, &k, 0);
	}
}

static int
remember(int fd, unsigned long long ino)
{
	int k, pass;
	size_t i;

	forget(fd);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < NSLOTS; i++) {
			k = 0;
			if (!atomic_compare_exchange_strong(&shim.slots[i].key,
			    &k, SLOT_BUSY))
				continue;
			atomic_store(&shim.slots[i].ino, ino);
			atomic_store(&shim.slots[i].key, fd + 1);
			return 0;
		}
		sweep();
	}
	return -1;
}

/* The inode fd had when we made it, 0 when fd is not one of ours. */
static unsigned long long
ours(int fd)
{
	unsigned long long ino;
	int k;
	size_t i;

	if (fd < 0)
		return 0;
	for (i = 0; i < NSLOTS; i++) {
		if (atomic_load(&shim.slots[i].key) != fd + 1)
			continue;
		ino = atomic_load(&shim.slots[i].ino);
		if (sock_ino(fd) == ino)
			return ino;
		k = fd + 1;	/* stale: fd is something else now */
		(void)atomic_compare_exchange_strong(&shim.slots[i].key, &k, 0);
	}
	return 0;
}

/*
 * Read the daemon's greeting: 0 when it accepted us, else the errno
 * socket() fails with.
 */
static int
greeting(int fd)
{
	struct simd_greeting g;
	struct pollfd pfd;
	ssize_t n;
	int r;

	pfd.fd = fd;
	pfd.events = POLLIN;
	do
		r = poll(&pfd, 1, SIMD_GREETING_TIMEOUT);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return EAFNOSUPPORT;	/* nobody answers: no PF_KEY here */
	do
		n = recv(fd, &g, sizeof(g), 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(g) ||
	    memcmp(g.magic, SIMD_MAGIC, sizeof(g.magic)) != 0 ||
	    g.version != SIMD_VERSION)
		return EAFNOSUPPORT;
	return g.status == 0 ? 0 : (int)g.status;
}

/* A connection to the daemon at path, standing in for a PF_KEY socket. */
static int
simd_open(const char *path, int flags)
{
	struct sockaddr_un sun;
	unsigned long long ino;
	size_t len = strlen(path);
	int fd, err;

	if (len == 0 || len >= sizeof(sun.sun_path)) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, len);
	fd = REAL(socket)(AF_UNIX, SOCK_SEQPACKET | (flags & SOCK_CLOEXEC), 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		/*
		 * Not allowed to reach the socket file: refused, as a kernel
		 * refuses PF_KEY to an unprivileged user.  Anything else: no
		 * daemon, as if the kernel had no PF_KEY.
		 */
		err = errno == EACCES || errno == EPERM ? EPERM :
		    EAFNOSUPPORT;
	else if ((err = greeting(fd)) == 0 && (ino = sock_ino(fd)) != 0 &&
	    remember(fd, ino) != 0)
		err = ENOBUFS;	/* more PF_KEY sockets than the table holds */
	if (err == 0 && (flags & SOCK_NONBLOCK) &&
	    REAL(fcntl)(fd, F_SETFL, REAL(fcntl)(fd, F_GETFL) | O_NONBLOCK) != 0)
		err = errno;
	if (err != 0) {
		forget(fd);
		REAL(close)(fd);
		errno = err;
		return -1;
	}
	return fd;
}

int
socket(int domain, int type, int protocol)
{
	const char *path;

	NOSYS(socket);
	if (domain != PF_KEY)
		return shim.real.socket(domain, type, protocol);
	/*
	 * Never the host's own PF_KEY: a test that forgot the variable
	 * must not install keys in a real kernel.
	 */
	path = getenv("PFKV2_SIMD_SOCKET");
	if (path == NULL || *path == '\0') {
		errno = EAFNOSUPPORT;
		return -1;
	}
	/* Linux af_key's checks, in its order. */
	if ((type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != SOCK_RAW) {
		errno = ESOCKTNOSUPPORT;
		return -1;
	}
	if (protocol != PF_KEY_V2) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	return simd_open(path, type & (SOCK_NONBLOCK | SOCK_CLOEXEC));
}

int
close(int fd)
{
	NOSYS(close);
	/* Before: once closed, the number may be handed out again. */
	forget(fd);
	return shim.real.close(fd);
}

/* After a dup of old into new: new is ours exactly when old is. */
static int
dup_done(int old, int new)
{
	unsigned long long ino;

	if (new < 0 || new == old)
		return new;
	forget(new);
	if ((ino = ours(old)) != 0)
		(void)remember(new, ino);
	return new;
}

int
dup(int fd)
{
	NOSYS(dup);
	return dup_done(fd, shim.real.dup(fd));
}

int
dup2(int fd, int fd2)
{
	NOSYS(dup2);
	return dup_done(fd, shim.real.dup2(fd, fd2));
}

int
dup3(int fd, int fd2, int flags)
{
	NOSYS(dup3);
	return dup_done(fd, shim.real.dup3(fd, fd2, flags));
}

/*
 * fcntl's third argument is an int or a pointer, by command.  It is read
 * as a pointer and passed on as one, as libc's own fcntl does, which
 * carries either on every ABI Linux runs on.
 */
static int
fcntl_common(fcntl_fn real, int fd, int cmd, void *arg)
{
	int r = real(fd, cmd, arg);

	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
		return dup_done(fd, r);
	return r;
}

int
fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	NOSYS(fcntl);
	return fcntl_common(shim.real.fcntl, fd, cmd, arg);
}

int
fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	NOSYS(fcntl64);
	return fcntl_common(shim.real.fcntl64, fd, cmd, arg);
}

int
getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	int v;

	NOSYS(getsockopt);
	if (level != SOL_SOCKET || (name != SO_DOMAIN && name != SO_TYPE &&
	    name != SO_PROTOCOL) || ours(fd) == 0)
		return shim.real.getsockopt(fd, level, name, val, len);
	if (val == NULL || len == NULL) {
		errno = EFAULT;
		return -1;
	}
	if (*len < (socklen_t)sizeof(int)) {
		errno = EINVAL;
		return -1;
	}
	v = name == SO_DOMAIN ? PF_KEY : name == SO_TYPE ? SOCK_RAW :
	    PF_KEY_V2;
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

int
getsockname(int fd, struct sockaddr *sa, socklen_t *len)
{
	NOSYS(getsockname);
	if (ours(fd) != 0) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return shim.real.getsockname(fd, sa, len);
}

int
getpeername(int fd, struct sockaddr *sa, socklen_t *len)
{
	NOSYS(getpeername);
	if (ours(fd) != 0) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return shim.real.getpeername(fd, sa, len);
}

int
shutdown(int fd, int how)
{
	NOSYS(shutdown);
	if (ours(fd) != 0) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return shim.real.shutdown(fd, how);
}
