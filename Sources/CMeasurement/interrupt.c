/* Ctrl-C and SIGTERM: the first one sets a flag that the sampling loop polls between samples, so
 * the results measured so far are written and children are ended; a second one of the same kind
 * terminates as usual. */
#include "measurement_support.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t mx_interrupted = 0;

static void mx_on_interrupt(int signal_number) {
    mx_interrupted = signal_number;
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigaction(signal_number, &fallback, NULL);
}

void mx_install_interrupt_flag(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = mx_on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    /* A parent may have spawned us with SIGINT blocked (Foundation's Process does); unblock it,
     * or Ctrl-C would stay pending until the run ends. */
    sigset_t interrupt;
    sigemptyset(&interrupt);
    sigaddset(&interrupt, SIGINT);
    sigaddset(&interrupt, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &interrupt, NULL);
}

int mx_interrupt_requested(void) {
    return mx_interrupted != 0;
}

int mx_interrupt_signal(void) {
    return mx_interrupted;
}
