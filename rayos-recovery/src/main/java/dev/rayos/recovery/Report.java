package dev.rayos.recovery;

import java.util.ArrayList;
import java.util.List;

/**
 * What a recovery tool did (or, in a dry run, would do): every change, one entry each, in the order
 * made, and the problems it found but could not fix. The CLI prints it; the console shows it.
 */
public final class Report {
    /** How a change ended. */
    public enum Result {
        /** A dry run: the change would be made. */
        PLANNED,
        DONE,
        FAILED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One change.
     *
     * @param action what kind ({@code quarantine}, {@code rewrite}, {@code delete}, {@code truncate}, …)
     * @param path   what it applies to, relative to the root (or a device)
     * @param detail why, and what became of it, for a person
     */
    public record Change(String action, String path, String detail, Result result) {
        /** The change as one line: {@code quarantine var/rayos/boot/history/x.json: not valid JSON}. */
        public String line() {
            String verb = result == Result.PLANNED ? "would " + action : result == Result.FAILED ? "FAILED " + action : action;
            return verb + " " + path + (detail == null || detail.isEmpty() ? "" : ": " + detail);
        }
    }

    private final boolean dryRun;
    private final List<Change> changes = new ArrayList<>();
    private final List<String> unresolved = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Report(boolean dryRun) {
        this.dryRun = dryRun;
    }

    public boolean dryRun() {
        return dryRun;
    }

    synchronized void add(Change c) {
        changes.add(c);
    }

    /** A problem found and left as it is (it needs a person, or an option like {@code --yes}). */
    synchronized void unresolved(String what) {
        unresolved.add(what);
    }

    /** Something worth saying that is neither a change nor a problem (a check skipped, and why). */
    synchronized void note(String what) {
        notes.add(what);
    }

    public synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    public synchronized List<Change> changes() {
        return List.copyOf(changes);
    }

    public synchronized List<String> unresolved() {
        return List.copyOf(unresolved);
    }

    /** True when a change failed or a problem was left unresolved. */
    public synchronized boolean troubled() {
        return !unresolved.isEmpty() || changes.stream().anyMatch(c -> c.result() == Result.FAILED);
    }
}
