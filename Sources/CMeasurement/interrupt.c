/* Ctrl-C: the first SIGINT sets a flag that the sampling loop polls between samples, so the results
 * measured so far are written; a second SIGINT terminates as usual. */
#include "measurement_support.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t mx_interrupted = 0;

static void mx_on_interrupt(int signal_number) {
    (void)signal_number;
    mx_interrupted = 1;
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigaction(SIGINT, &fallback, NULL);
}

void mx_install_interrupt_flag(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = mx_on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    /* A parent may have spawned us with SIGINT blocked (Foundation's Process does); unblock it,
     * or Ctrl-C would stay pending until the run ends. */
    sigset_t interrupt;
    sigemptyset(&interrupt);
    sigaddset(&interrupt, SIGINT);
    sigprocmask(SIG_UNBLOCK, &interrupt, NULL);
}

int mx_interrupt_requested(void) {
    return mx_interrupted != 0;
}
