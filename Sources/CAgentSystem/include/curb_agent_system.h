#ifndef CURB_AGENT_SYSTEM_H
#define CURB_AGENT_SYSTEM_H

/// Installs handlers for SIGTERM, SIGINT and SIGHUP that write the signal's number (one byte) to a
/// non-blocking self-pipe, and ignores SIGPIPE. Returns the pipe's read end (poll it, then read the
/// numbers), or -1 with errno set. Call once per process.
int curb_signal_pipe_install(void);

/// Whether the kernel says the system clock is synchronized (ntp_adjtime: no STA_UNSYNC and not
/// TIME_ERROR): 1 synchronized, 0 not, -1 unknown.
int curb_clock_synchronized(void);

#endif
