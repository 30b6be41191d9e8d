package dev.rayos.cli;

import dev.rayos.log.LogSystem;

/** Says, promptly and with exit 10, that events reached only the ring and the console: storage is broken. */
final class NotStored {
    private NotStored() {}

    static void check(LogSystem sys) {
        String why = sys.storeFailureInWords();
        if (why != null) {
            throw new UserError("the event reached only the ring and the console, not the log files (" + why
                    + "); the next start writes it out of the ring", ExitCodes.NOT_STORED);
        }
    }
}
