// The two things the agent needs from libc that Swift's Glibc module does not import (or cannot do
// safely from Swift): an async-signal-safe signal handler, and ntp_adjtime.
#include "curb_agent_system.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/timex.h>
#include <unistd.h>

static int write_end = -1;

static void on_signal(int number) {
    // Only async-signal-safe calls here: write(2) of one byte; errno is restored for the interrupted code.
    int saved = errno;
    unsigned char byte = (unsigned char)number;
    if (write_end >= 0) { (void)write(write_end, &byte, 1); }
    errno = saved;
}

int curb_signal_pipe_install(void) {
    int fds[2];
    if (pipe(fds) != 0) { return -1; }
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    }
    write_end = fds[1];
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    if (sigaction(SIGTERM, &action, NULL) != 0 || sigaction(SIGINT, &action, NULL) != 0 ||
        sigaction(SIGHUP, &action, NULL) != 0) {
        return -1;
    }
    signal(SIGPIPE, SIG_IGN);
    // Past RLIMIT_FSIZE a write fails with EFBIG (handled like a full card: the frame stays and is tried
    // again) instead of the default SIGXFSZ killing the agent.
    signal(SIGXFSZ, SIG_IGN);
    // A parent may have started us with these blocked (the mask is inherited through exec): unblock them,
    // or SIGTERM would never arrive. Threads created later inherit this mask.
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGTERM);
    sigaddset(&wanted, SIGINT);
    sigaddset(&wanted, SIGHUP);
    pthread_sigmask(SIG_UNBLOCK, &wanted, NULL);
    return fds[0];
}

int curb_clock_synchronized(void) {
    struct timex status;
    memset(&status, 0, sizeof status);
    int state = ntp_adjtime(&status);
    if (state < 0) { return -1; }
    return (state != TIME_ERROR && (status.status & STA_UNSYNC) == 0) ? 1 : 0;
}
