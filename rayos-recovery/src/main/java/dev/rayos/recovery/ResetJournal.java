package dev.rayos.recovery;

import dev.rayos.log.root.BootId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The factory-reset journal ({@code var/rayos/recovery/factory-reset.journal}, docs/recovery.md):
 * the plan, written whole and atomically, then one {@code done} line appended and fsync'd per
 * completed step. Every line ends with {@code " #"} and the CRC-32 of the text before it (8
 * lower-case hex digits), so an append torn by power loss is recognised and ignored: the step is
 * simply run again (every step is idempotent).
 *
 * <pre>
 * rayos-factory-reset-journal 1 #…
 * mode preserve-vm-disks #…
 * boot 0123456789abcdef0123456789abcdef #…
 * step preserve-crash-reports #…
 * …
 * plan-end #…
 * done preserve-crash-reports #…
 * </pre>
 */
final class ResetJournal {
    static final String MAGIC = "rayos-factory-reset-journal 1";
    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_STEPS = 64;
    static final Pattern STEP_NAME = Pattern.compile("[a-z][a-z0-9-]{0,47}");

    /** A journal that is not one: the plan is damaged, or it breaks the format. */
    static final class JournalException extends Exception {
        JournalException(String message) {
            super(message);
        }
    }

    /** The plan and how far it got: {@code done} steps are the first ones of {@code steps}. */
    record State(FactoryReset.Mode mode, BootId boot, List<String> steps, int done) {
        List<String> remaining() {
            return steps.subList(done, steps.size());
        }
    }

    private ResetJournal() {}

    static byte[] plan(FactoryReset.Mode mode, BootId boot, List<String> steps) {
        StringBuilder b = new StringBuilder();
        b.append(line(MAGIC)).append(line("mode " + mode.id())).append(line("boot " + boot.hex()));
        for (String s : steps) {
            if (!STEP_NAME.matcher(s).matches()) {
                throw new IllegalArgumentException("step name '" + s + "' is not [a-z][a-z0-9-]*");
            }
            b.append(line("step " + s));
        }
        b.append(line("plan-end"));
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] done(String step) {
        return line("done " + step).getBytes(StandardCharsets.US_ASCII);
    }

    static String line(String text) {
        return text + " #" + crc(text) + "\n";
    }

    private static String crc(String text) {
        CRC32 c = new CRC32();
        c.update(text.getBytes(StandardCharsets.ISO_8859_1));
        return String.format("%08x", c.getValue());
    }

    /**
     * Reads a journal. A damaged or torn {@code done} line and everything after it count as not
     * done (those steps run again); anything wrong before {@code plan-end} is an error.
     *
     * @throws JournalException naming the line; never another exception, whatever the bytes
     */
    static State parse(byte[] bytes) throws JournalException {
        if (bytes.length > MAX_BYTES) {
            throw new JournalException("journal is larger than " + MAX_BYTES + " bytes");
        }
        String all = new String(bytes, StandardCharsets.ISO_8859_1);
        String[] lines = all.split("\n", -1);
        // The last element is what follows the last line feed: a torn append, or "".
        int complete = lines.length - 1;
        int i = 0;
        expect(lines, complete, i++, MAGIC);
        String mode = field(lines, complete, i++, "mode ");
        FactoryReset.Mode m = FactoryReset.Mode.byId(mode);
        if (m == null) {
            throw new JournalException("line 2: unknown mode '" + printable(mode) + "'");
        }
        String bootHex = field(lines, complete, i++, "boot ");
        if (!BootId.isValid(bootHex)) {
            throw new JournalException("line 3: not a boot id");
        }
        List<String> steps = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (true) {
            String text = checked(lines, complete, i);
            if (text.equals("plan-end")) {
                i++;
                break;
            }
            if (!text.startsWith("step ")) {
                throw new JournalException("line " + (i + 1) + ": expected 'step NAME' or 'plan-end'");
            }
            String s = text.substring(5);
            if (!STEP_NAME.matcher(s).matches() || !seen.add(s)) {
                throw new JournalException("line " + (i + 1) + ": bad or repeated step name");
            }
            if (steps.size() == MAX_STEPS) {
                throw new JournalException("more than " + MAX_STEPS + " steps");
            }
            steps.add(s);
            i++;
        }
        if (steps.isEmpty()) {
            throw new JournalException("the plan has no steps");
        }
        int done = 0;
        for (; i < complete && done < steps.size(); i++) {
            String text = text(lines[i]);
            if (text == null || !text.equals("done " + steps.get(done))) {
                break; // torn or out of order: from here on, not done
            }
            done++;
        }
        return new State(m, new BootId(bootHex), List.copyOf(steps), done);
    }

    private static void expect(String[] lines, int complete, int i, String want) throws JournalException {
        if (!checked(lines, complete, i).equals(want)) {
            throw new JournalException("line " + (i + 1) + ": expected '" + want + "'");
        }
    }

    private static String field(String[] lines, int complete, int i, String prefix) throws JournalException {
        String t = checked(lines, complete, i);
        if (!t.startsWith(prefix)) {
            throw new JournalException("line " + (i + 1) + ": expected '" + prefix.trim() + " …'");
        }
        return t.substring(prefix.length());
    }

    /** The text of a plan line, which must be whole and carry its CRC. */
    private static String checked(String[] lines, int complete, int i) throws JournalException {
        if (i >= complete) {
            throw new JournalException("the plan ends at line " + (i + 1) + " before plan-end");
        }
        String t = text(lines[i]);
        if (t == null) {
            throw new JournalException("line " + (i + 1) + ": damaged (no ' #crc' or a wrong CRC)");
        }
        return t;
    }

    /** The text before {@code " #crc"} when the CRC matches, else null. */
    private static String text(String line) {
        int h = line.lastIndexOf(" #");
        if (h < 0 || line.length() - h != 10) {
            return null;
        }
        String t = line.substring(0, h);
        return crc(t).equals(line.substring(h + 2)) ? t : null;
    }

    private static String printable(String s) {
        return dev.rayos.log.line.LineCodec.printable(s.length() > 40 ? s.substring(0, 40) + "…" : s);
    }
}
