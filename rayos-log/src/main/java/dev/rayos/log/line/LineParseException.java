package dev.rayos.log.line;

/**
 * A log line that does not follow the grammar of {@code docs/log-format.md}. The message says what
 * was expected; {@link #column()} says where (1-based, in characters of the line).
 */
public final class LineParseException extends Exception {
    private final int column;

    public LineParseException(String what, int column) {
        super("column " + column + ": " + what);
        this.column = column;
    }

    /** 1-based character column of the first offending character. */
    public int column() {
        return column;
    }
}
