package dev.rayos.log.read;

import java.io.IOException;

/** Where a {@link LogReader} delivers lines, in order: the formatters of {@code rayos logs}. */
public interface LineSink {
    /** The lines of {@code boot} begin (called once per boot, before its first line). */
    void boot(BootCatalog.Entry boot) throws IOException;

    /** Lines {@code [from, to)} of {@code m}, a run of one category of {@code boot}, in order. */
    void lines(BootCatalog.Entry boot, Matches m, int from, int to) throws IOException;

    /** Everything so far should reach its reader (called after each poll when following). */
    default void flush() throws IOException {}
}
