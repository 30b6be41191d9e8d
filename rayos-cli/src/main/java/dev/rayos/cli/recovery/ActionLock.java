package dev.rayos.cli.recovery;

import java.util.Optional;

/**
 * One action at a time over all of the console's terminals: from the choice of an action through
 * its questions to the end of its command (showing the output afterwards does not hold it).
 */
final class ActionLock {
    private String action;
    private String terminal;

    /** Takes the lock, or says who holds it: {@code busy: <action> running on <terminal>}. */
    synchronized Optional<String> tryAcquire(String action, String terminal) {
        if (this.action != null) {
            return Optional.of("busy: " + this.action + " running on " + this.terminal);
        }
        this.action = action;
        this.terminal = terminal;
        return Optional.empty();
    }

    synchronized void release() {
        action = null;
        terminal = null;
    }
}
