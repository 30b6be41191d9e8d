package dev.rayos.recovery;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table {@code qemu-img snapshot -l} prints: the internal snapshots of a qcow2 disk.
 *
 * <pre>
 * Snapshot list:
 * ID        TAG               VM SIZE                DATE     VM CLOCK     ICOUNT
 * 1         first                 0 B 2026-12-03 12:09:06 00:00:00.000          0
 * </pre>
 *
 * A tag may hold spaces, so each row is read from its right end, where the columns have fixed
 * shapes. No output (a disk without snapshots) is an empty list.
 */
final class SnapshotList {
    /** One internal snapshot: {@code tag} is what {@code qemu-img snapshot -d} takes. */
    record Snapshot(String id, String tag, String vmSize) {}

    /** Output that is not the table. */
    static final class SnapshotListException extends Exception {
        SnapshotListException(String message) {
            super(message);
        }
    }

    private static final Pattern ROW = Pattern.compile(
            "(\\S+) +(\\S(?:.*\\S)?) +(\\d+(?:\\.\\d+)? [KMGTPE]?i?B) +(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)"
                    + " +(\\d+:\\d\\d:\\d\\d\\.\\d{3})(?: +(?:\\d+|--))? *");
    private static final int MAX_ROWS = 100_000;

    private SnapshotList() {}

    static List<Snapshot> parse(String out) throws SnapshotListException {
        List<Snapshot> rows = new ArrayList<>();
        String[] lines = out.split("\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].isBlank()) {
            i++;
        }
        if (i == lines.length) {
            return rows;
        }
        if (!lines[i].strip().equals("Snapshot list:")) {
            throw new SnapshotListException("line " + (i + 1) + ": expected 'Snapshot list:'");
        }
        i++;
        if (i >= lines.length || !lines[i].startsWith("ID ") || !lines[i].contains("TAG")) {
            throw new SnapshotListException("line " + (i + 1) + ": expected the ID TAG … header");
        }
        for (i++; i < lines.length; i++) {
            String l = lines[i];
            if (l.isBlank()) {
                continue;
            }
            Matcher m = ROW.matcher(l);
            if (!m.matches()) {
                throw new SnapshotListException("line " + (i + 1) + ": not a snapshot row");
            }
            if (rows.size() == MAX_ROWS) {
                throw new SnapshotListException("more than " + MAX_ROWS + " snapshots");
            }
            rows.add(new Snapshot(m.group(1), m.group(2), m.group(3)));
        }
        return rows;
    }
}
