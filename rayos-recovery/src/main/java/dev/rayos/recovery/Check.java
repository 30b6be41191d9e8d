package dev.rayos.recovery;

import java.io.IOException;

/**
 * One check of {@code rayos repair}: finds what is wrong in one part of the machine's layout and
 * repairs it through {@link RepairContext#change}, which logs and reports each change and, in a
 * dry run, only reports it. Checks run in the order given; a check that throws is reported and the
 * next one runs.
 */
public interface Check {
    /** A short name ({@code history}, {@code boot-entries}), used in the report and the log. */
    String name();

    void run(RepairContext ctx) throws IOException;
}
