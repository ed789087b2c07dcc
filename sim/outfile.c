/* outfile.c - the one writer for every output file: atomic replacement of
 * regular files, in-place writes to devices and FIFOs, no temporary file
 * left behind by a failure or a signal (rules in outfile.h). */
#define _XOPEN_SOURCE 700 /* realpath() */
#include "outfile.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum out_kind {
	OUT_STDOUT,  /* "-" */
	OUT_INPLACE, /* a device, FIFO or socket: written where it is */
	OUT_REPLACE, /* a regular file (or none yet): temporary file + rename */
};

struct sim_out {
	FILE *f;
	enum out_kind kind;
	int slot;     /* in the signal registry, or -1 */
	int err_no;   /* the first failed write's errno (sim_out_write), or 0 */
	char *path;   /* as given */
	char *target; /* the file that ends up written (a link resolved) */
	char *tmp;    /* OUT_REPLACE: the temporary file beside target */
};

/* ---- Temporary files the signal handler removes ------------------------- */

/* Process-wide by nature: a signal handler can reach nothing else.  A slot
 * is filled before it is marked used, and marked unused before it is
 * reused, so the handler never reads half a name. */
enum { REG_SLOTS = 16, REG_PATH_MAX = 4096 };
static char reg_path[REG_SLOTS][REG_PATH_MAX];
static volatile sig_atomic_t reg_used[REG_SLOTS];

static const int caught_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
enum { N_CAUGHT = sizeof caught_signals / sizeof caught_signals[0] };
static struct sigaction saved_action[N_CAUGHT];
static volatile sig_atomic_t handlers_installed;

void sim_out_remove_temps(void)
{
	for (int i = 0; i < REG_SLOTS; i++)
		if (reg_used[i]) {
			unlink(reg_path[i]);
			reg_used[i] = 0;
		}
}

static void on_signal(int sig, siginfo_t *info, void *uctx)
{
	int saved_errno = errno;
	for (int i = 0; i < N_CAUGHT; i++) {
		if (caught_signals[i] != sig)
			continue;
		const struct sigaction *old = &saved_action[i];
		if (old->sa_flags & SA_SIGINFO) {
			/* the program handles this signal itself and will finish
			 * or abandon its files on its own path */
			old->sa_sigaction(sig, info, uctx);
		} else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
			old->sa_handler(sig);
		} else {
			/* the signal ends the process: no temporary file may stay */
			sim_out_remove_temps();
			signal(sig, SIG_DFL);
			raise(sig); /* delivered when this handler returns */
		}
	}
	errno = saved_errno;
}

static void install_handlers(void)
{
	if (handlers_installed)
		return;
	handlers_installed = 1;
	for (int i = 0; i < N_CAUGHT; i++) {
		struct sigaction old;
		if (sigaction(caught_signals[i], NULL, &old) != 0)
			continue;
		if (!(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN)
			continue; /* ignored on purpose (nohup, a background job) */
		saved_action[i] = old;
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_signal;
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sigemptyset(&sa.sa_mask);
		sigaction(caught_signals[i], &sa, NULL);
	}
}

static int register_temp(const char *tmp)
{
	if (strlen(tmp) >= REG_PATH_MAX)
		return -1;
	install_handlers();
	for (int i = 0; i < REG_SLOTS; i++)
		if (!reg_used[i]) {
			memcpy(reg_path[i], tmp, strlen(tmp) + 1);
			reg_used[i] = 1;
			return i;
		}
	return -1;
}

static void unregister_temp(int slot)
{
	if (slot >= 0)
		reg_used[slot] = 0;
}

/* ---- Classifying a path ------------------------------------------------- */

static void set_err(char *err, size_t errcap, const char *path, const char *fmt, ...)
{
	if (!err || !errcap)
		return;
	int n = snprintf(err, errcap, "%s: ", path);
	if (n < 0 || (size_t)n >= errcap)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err + n, errcap - (size_t)n, fmt, ap);
	va_end(ap);
}

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* The directory part of path ("." if none), newly allocated. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return dup_str(".");
	if (slash == path)
		return dup_str("/");
	size_t n = (size_t)(slash - path);
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, path, n);
		d[n] = '\0';
	}
	return d;
}

/* Decides how path is written.  *target gets the file that will be written
 * (newly allocated; a symbolic link resolved), *st its state and *exists
 * whether it exists.  0, or -1 and err. */
static int classify(const char *path, enum out_kind *kind, char **target, struct stat *st,
                    bool *exists, char *err, size_t errcap)
{
	*target = NULL;
	*exists = false;
	if (!path[0]) {
		set_err(err, errcap, "''", _("an empty path is not a file name"));
		return -1;
	}
	if (!strcmp(path, "-")) {
		*kind = OUT_STDOUT;
		return 0;
	}
	/* /dev and /proc hold devices and the process's own descriptors
	 * (/dev/stdout, /proc/self/fd/N, pipes among them): written in place,
	 * never replaced, never created */
	if (!strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6)) {
		if (stat(path, st) != 0) {
			set_err(err, errcap, path, _("cannot write: %s"), strerror(errno));
			return -1;
		}
		if (S_ISDIR(st->st_mode)) {
			set_err(err, errcap, path, _("is a directory (give a file name)"));
			return -1;
		}
		*exists = true;
		*kind = OUT_INPLACE;
		*target = dup_str(path);
		if (!*target) {
			set_err(err, errcap, path, _("out of memory"));
			return -1;
		}
		return 0;
	}
	if (lstat(path, st) != 0) {
		if (errno != ENOENT) {
			set_err(err, errcap, path, _("cannot write: %s"), strerror(errno));
			return -1;
		}
		*target = dup_str(path);
	} else if (S_ISLNK(st->st_mode)) {
		char *real = realpath(path, NULL);
		if (!real) {
			set_err(err, errcap, path,
			        _("is a symbolic link to a missing file (write to a real path)"));
			return -1;
		}
		*target = real;
		if (stat(real, st) != 0) {
			set_err(err, errcap, path, _("cannot write: %s"), strerror(errno));
			free(real);
			*target = NULL;
			return -1;
		}
		*exists = true;
	} else {
		*target = dup_str(path);
		*exists = true;
	}
	if (!*target) {
		set_err(err, errcap, path, _("out of memory"));
		return -1;
	}
	if (*exists && S_ISDIR(st->st_mode)) {
		set_err(err, errcap, path, _("is a directory (give a file name)"));
		free(*target);
		*target = NULL;
		return -1;
	}
	*kind = *exists && !S_ISREG(st->st_mode) ? OUT_INPLACE : OUT_REPLACE;
	return 0;
}

/* ---- Opening, committing, abandoning ------------------------------------ */

static void out_free(struct sim_out *o)
{
	free(o->path);
	free(o->target);
	free(o->tmp);
	free(o);
}

struct sim_out *sim_out_open(const char *path, char *err, size_t errcap)
{
	enum out_kind kind;
	char *target;
	struct stat st;
	bool exists;
	if (classify(path, &kind, &target, &st, &exists, err, errcap) != 0)
		return NULL;
	struct sim_out *o = calloc(1, sizeof *o);
	if (!o || !(o->path = dup_str(path))) {
		set_err(err, errcap, path, _("out of memory"));
		free(o);
		free(target);
		return NULL;
	}
	o->kind = kind;
	o->target = target;
	o->slot = -1;
	int fd = -1;
	switch (kind) {
	case OUT_STDOUT:
		o->f = stdout;
		return o;
	case OUT_INPLACE:
		fd = open(target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
			set_err(err, errcap, path, _("cannot write: %s"), strerror(errno));
			goto fail;
		}
		return o;
	case OUT_REPLACE: {
		size_t n = strlen(target);
		if (!(o->tmp = malloc(n + 16))) {
			set_err(err, errcap, path, _("out of memory"));
			goto fail;
		}
		snprintf(o->tmp, n + 16, "%s.tmp-XXXXXX", target);
		/* the signal mask keeps a signal from arriving between the file's
		 * creation and its registration */
		sigset_t all, old;
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, &old);
		fd = mkstemp(o->tmp);
		int e = errno;
		if (fd >= 0)
			o->slot = register_temp(o->tmp);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (fd < 0) {
			free(o->tmp);
			o->tmp = NULL;
			set_err(err, errcap, path, _("cannot write: %s"), strerror(e));
			goto fail;
		}
		mode_t mode;
		if (exists) {
			mode = st.st_mode & 07777;
			if (st.st_uid != geteuid() || st.st_gid != getegid())
				(void)!fchown(fd, st.st_uid, st.st_gid);
		} else {
			mode_t mask = umask(0);
			umask(mask);
			mode = 0666 & ~mask;
		}
		if (fchmod(fd, mode) != 0 || !(o->f = fdopen(fd, "w"))) {
			set_err(err, errcap, path, _("cannot write: %s"), strerror(errno));
			goto fail;
		}
		return o;
	}
	}
fail:
	if (!o->f && fd >= 0)
		close(fd);
	if (o->f && o->f != stdout)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp) {
		unlink(o->tmp);
		unregister_temp(o->slot);
	}
	out_free(o);
	return NULL;
}

FILE *sim_out_stream(struct sim_out *o)
{
	return o->f;
}

const char *sim_out_path(const struct sim_out *o)
{
	return o->path;
}

int sim_out_write(struct sim_out *o, const void *data, size_t len)
{
	if (len && fwrite(data, 1, len, o->f) != len) {
		if (!o->err_no)
			o->err_no = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

/* The errno of a stream that failed: the first recorded one, else the one
 * fflush() just left, else a generic I/O error. */
static int stream_errno(const struct sim_out *o, int flush_errno)
{
	if (o->err_no)
		return o->err_no;
	return flush_errno ? flush_errno : EIO;
}

int sim_out_commit(struct sim_out *o, char *err, size_t errcap)
{
	int rc = -1;
	errno = 0;
	bool bad = fflush(o->f) != 0;
	int e = errno;
	bad = bad || ferror(o->f) || o->err_no;
	switch (o->kind) {
	case OUT_STDOUT:
		if (bad) {
			set_err(err, errcap, _("standard output"), _("cannot write: %s"),
			        strerror(stream_errno(o, e)));
			clearerr(stdout);
			goto done;
		}
		rc = 0;
		goto done;
	case OUT_INPLACE: {
		int c = fclose(o->f);
		o->f = NULL;
		if (bad || c != 0) {
			set_err(err, errcap, o->path, _("cannot write: %s"),
			        strerror(bad ? stream_errno(o, e) : errno));
			goto done;
		}
		rc = 0;
		goto done;
	}
	case OUT_REPLACE: {
		if (!bad && fsync(fileno(o->f)) != 0) {
			bad = true;
			e = errno;
		}
		int c = fclose(o->f);
		o->f = NULL;
		if (!bad && c != 0) {
			bad = true;
			e = errno;
		}
		if (bad) {
			set_err(err, errcap, o->path, _("cannot write: %s"), strerror(stream_errno(o, e)));
			goto done;
		}
		if (rename(o->tmp, o->target) != 0) {
			set_err(err, errcap, o->path, _("cannot write: %s"), strerror(errno));
			goto done;
		}
		unregister_temp(o->slot);
		o->slot = -1;
		free(o->tmp);
		o->tmp = NULL;
		/* the rename itself is durable once the directory is synced */
		char *dir = dir_of(o->target);
		int dfd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
		if (dfd >= 0) {
			(void)fsync(dfd);
			close(dfd);
		}
		free(dir);
		rc = 0;
		goto done;
	}
	}
done:
	if (rc != 0)
		sim_out_abort(o);
	else
		out_free(o);
	return rc;
}

void sim_out_abort(struct sim_out *o)
{
	if (!o)
		return;
	if (o->f && o->f != stdout)
		fclose(o->f);
	if (o->tmp) {
		unlink(o->tmp);
		unregister_temp(o->slot);
	}
	out_free(o);
}

int sim_out_write_file(const char *path, const void *data, size_t len, char *err,
                       size_t errcap)
{
	struct sim_out *o = sim_out_open(path, err, errcap);
	if (!o)
		return -1;
	sim_out_write(o, data, len);
	return sim_out_commit(o, err, errcap);
}

int sim_out_check(const char *path, const char *input, char *err, size_t errcap)
{
	enum out_kind kind;
	char *target;
	struct stat st;
	bool exists;
	if (classify(path, &kind, &target, &st, &exists, err, errcap) != 0)
		return -1;
	int rc = 0;
	struct stat in;
	if (kind == OUT_STDOUT)
		goto done;
	if (exists && input && stat(input, &in) == 0 && in.st_dev == st.st_dev &&
	    in.st_ino == st.st_ino) {
		set_err(err, errcap, path, _("is the input script; write the output elsewhere"));
		rc = -1;
		goto done;
	}
	if (kind == OUT_INPLACE) {
		if (access(target, W_OK) != 0) {
			set_err(err, errcap, path, _("cannot write: %s"), strerror(errno));
			rc = -1;
		}
		goto done;
	}
	char *dir = dir_of(target);
	struct stat ds;
	if (!dir) {
		set_err(err, errcap, path, _("out of memory"));
		rc = -1;
	} else if (stat(dir, &ds) != 0) {
		set_err(err, errcap, path, _("cannot write: %s"), strerror(errno));
		rc = -1;
	} else if (!S_ISDIR(ds.st_mode)) {
		set_err(err, errcap, path, _("cannot write: %s"), strerror(ENOTDIR));
		rc = -1;
	} else if (access(dir, W_OK | X_OK) != 0) {
		set_err(err, errcap, path, _("cannot write: %s"), strerror(errno));
		rc = -1;
	}
	free(dir);
done:
	free(target);
	return rc;
}
