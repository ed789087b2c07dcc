/* outfile.h - every file raftsim writes (traces, repro scripts, saved
 * sessions, PNG frames) goes through this one writer, so none of them can
 * destroy what it replaces.
 *
 * The rules, by what the path names:
 *   "-"                      standard output (flushed, never closed);
 *   a regular file, or       a temporary file created beside it with
 *   nothing yet                mkstemp() (O_EXCL: a planted file or link at
 *                              the temporary name is never followed), then
 *                              fsync, rename over the path, fsync of the
 *                              directory; an existing file keeps its mode;
 *   a device, FIFO, socket   opened and written in place, never replaced;
 *   a symbolic link          resolved: its target is replaced (or written in
 *                              place) by the rules above, the link is kept; a
 *                              link to nothing is refused;
 *   anything under /dev/     written in place if it exists (/dev/stdout,
 *   or /proc/                  /proc/self/fd/N: pipes too), never replaced
 *                              or created;
 *   a directory, ""          refused.
 * On any failure the previous file is intact and no temporary file remains.
 * SIGINT, SIGTERM, SIGHUP and SIGPIPE remove the temporary files still open
 * and then end the process as the signal would have (130, 143, ...).
 *
 * Errors are written to err as one line "PATH: what was wrong". */
#ifndef SIM_OUTFILE_H
#define SIM_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct sim_out;

/* Opens path for writing; NULL (and err) on failure.  The caller writes to
 * sim_out_stream() and then calls sim_out_commit() or sim_out_abort(). */
struct sim_out *sim_out_open(const char *path, char *err, size_t errcap);
FILE *sim_out_stream(struct sim_out *o);
/* Writes len bytes to the stream, remembering the first failure's errno
 * for sim_out_commit()'s message.  0, or -1 on a failed write. */
int sim_out_write(struct sim_out *o, const void *data, size_t len);
/* The path as the user gave it. */
const char *sim_out_path(const struct sim_out *o);
/* Finishes the file: every byte written and synced, then put in place.
 * Frees o.  0, or -1 and err (the previous file untouched). */
int sim_out_commit(struct sim_out *o, char *err, size_t errcap);
/* Gives up: the temporary file is removed, the target untouched.  Frees o;
 * NULL is allowed. */
void sim_out_abort(struct sim_out *o);

/* sim_out_open + one write + sim_out_commit. */
int sim_out_write_file(const char *path, const void *data, size_t len, char *err,
                       size_t errcap);

/* Checks, before a long run, that path can be opened for writing by the
 * rules above without creating anything, and that it is not the same file
 * as input (NULL: no input).  0, or -1 and err. */
int sim_out_check(const char *path, const char *input, char *err, size_t errcap);

/* Removes every temporary file still open; async-signal-safe. */
void sim_out_remove_temps(void);

#endif
