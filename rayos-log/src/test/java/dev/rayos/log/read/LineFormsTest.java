package dev.rayos.log.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.Vectors;
import dev.rayos.log.root.BootId;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code rayos logs -o FORM} prints for each form that parses lines (docs/reading-logs.md,
 * "Output forms"), for one small machine written by hand. Every expected text is written out here
 * from the docs: the times worked out from the boot's clock pair by hand.
 *
 * <p>The boot started at mono 1 s without a wall clock and learnt it at mono 5 s as
 * 2026-01-01T00:00:00Z, so {@code mono:2123456789} is 2.876543211 s before that:
 * 2025-12-31T23:59:57.123456789Z, an estimate (json's {@code utc} keeps the nanoseconds, as {@code short}
 * does in the docs' example); a UTC line at 00:00:01.5 is mono 6.5 s.
 */
class LineFormsTest {
    static final String ID = "0123456789abcdef0123456789abcdef";
    static final String MONO_ID = "fedcba9876543210fedcba9876543210";
    static final String B1 = "mono:2123456789 INFO kernel EARLY n=1";
    static final String B2 = "2026-01-01T00:00:01.500000Z WARN disk SLOW dev=/dev/sda why=\"x\\ny\" msg=\"took 2 s\"";
    static final String CORRUPT = "garbage \u0001 here";
    static final String TORN = "2026-01-01T00:00:02.000000Z INFO kernel TOR";
    static final String I1 = "2026-01-01T00:00:00.250000Z INFO input KEY code=30";
    static final String FILE = "var/rayos/logs/boot/" + ID + ".log";

    @TempDir
    java.nio.file.Path dir;
    ReadRoot root;
    BootCatalog.Entry synced;
    BootCatalog.Entry monoOnly;

    @BeforeEach
    void machine() throws Exception {
        root = new ReadRoot(dir);
        synced = root.boot(ReadRoot.syncedAtFiveSeconds(new BootId(ID), 0));
        root.file("boot", ID + ".log", ReadRoot.lines(B1, B2, CORRUPT) + TORN);
        root.file("input", ID + ".log", ReadRoot.lines(I1));
        monoOnly = root.boot(ReadRoot.monoOnly(new BootId(MONO_ID), 1));
        root.file("boot", MONO_ID + ".log", ReadRoot.lines("mono:7258197463000 INFO kernel UP",
                "2026-01-01T00:00:03.000000Z INFO app LATE"));
    }

    /** The two flag lines the text forms end with: the corrupt line, then the torn last one. */
    static List<String> flags() {
        int corruptAt = B1.length() + 1 + B2.length() + 1;
        return List.of(
                "!! corrupt line (column 1: ",
                ") at " + FILE + "+" + corruptAt + ": garbage \\x01 here",
                "!! partial line (no line feed yet) at " + FILE + "+" + (corruptAt + CORRUPT.length() + 1) + ": " + TORN);
    }

    private String text(BootCatalog.Entry boot, String form) throws Exception {
        return root.text(List.of(boot), LogQuery.ALL, form);
    }

    /** The form's lines, then its two flag lines checked and dropped. */
    private List<String> linesThenFlags(String form) throws Exception {
        List<String> got = text(synced, form).lines().toList();
        List<String> f = flags();
        assertThat(got.get(got.size() - 2)).as(form).startsWith(f.get(0)).endsWith(f.get(1));
        assertThat(got.get(got.size() - 1)).as(form).isEqualTo(f.get(2));
        return got.subList(0, got.size() - 2);
    }

    @Test
    void shortIsoShowsEachLineToTheSecondWithEstimatesMarkedAndFlagsTheCorruptAndTornOnes() throws Exception {
        assertThat(linesThenFlags("short-iso")).containsExactly(
                "~2025-12-31T23:59:57Z INFO kernel EARLY n=1",
                "2026-01-01T00:00:00Z INFO input KEY code=30",
                "2026-01-01T00:00:01Z WARN disk SLOW dev=/dev/sda why=\"x\\ny\" msg=\"took 2 s\"");
        assertThat(text(monoOnly, "short-iso").lines()).containsExactly(
                "mono:7258197463000 INFO kernel UP", "2026-01-01T00:00:03Z INFO app LATE");
    }

    @Test
    void shortPreciseShowsTheMicrosecond() throws Exception {
        assertThat(linesThenFlags("short-precise")).containsExactly(
                "~2025-12-31T23:59:57.123456Z INFO kernel EARLY n=1",
                "2026-01-01T00:00:00.250000Z INFO input KEY code=30",
                "2026-01-01T00:00:01.500000Z WARN disk SLOW dev=/dev/sda why=\"x\\ny\" msg=\"took 2 s\"");
    }

    @Test
    void shortMonotonicShowsSecondsSinceStartAsJournalctlDoesAndAQuestionMarkWhereNoPairPlacesAUtcLine()
            throws Exception {
        // journalctl: "[%5llu.%06llu]"; the docs' "[           ?]" is that width
        assertThat(linesThenFlags("short-monotonic")).containsExactly(
                "[    2.123456] INFO kernel EARLY n=1",
                "[    5.250000] INFO input KEY code=30",
                "[    6.500000] WARN disk SLOW dev=/dev/sda why=\"x\\ny\" msg=\"took 2 s\"");
        assertThat(text(monoOnly, "short-monotonic").lines()).containsExactly(
                "[ 7258.197463] INFO kernel UP", "[           ?] INFO app LATE");
    }

    @Test
    void catShowsTheMessageElseTheEventAndItsFields() throws Exception {
        assertThat(linesThenFlags("cat")).containsExactly("EARLY n=1", "KEY code=30", "took 2 s");
        assertThat(text(monoOnly, "cat").lines()).containsExactly("UP", "LATE");
    }

    @Test
    void catAndVerboseShowALongMessageWhole() throws Exception {
        String words = "word ".repeat(60).trim(); // 299 characters
        BootId id = BootId.random();
        BootCatalog.Entry e = root.boot(ReadRoot.syncedAtFiveSeconds(id, 2));
        root.file("boot", id.hex() + ".log", ReadRoot.lines(
                "2026-01-01T00:00:01.000000Z INFO app SAID msg=\"" + words + "\" tab=\"a\\tb\""));
        assertThat(text(e, "cat")).isEqualTo(words + "\n");
        assertThat(text(e, "verbose").lines()).contains("    msg=" + words, "    tab=a\\x09b");
    }

    @Test
    void verboseShowsAHeaderThenEachPartOnItsOwnIndentedLine() throws Exception {
        assertThat(linesThenFlags("verbose")).containsExactly(
                "~2025-12-31T23:59:57.123456Z [boot_id=" + ID + " category=boot]",
                "    TS=mono:2123456789",
                "    LEVEL=INFO",
                "    COMPONENT=kernel",
                "    EVENT=EARLY",
                "    n=1",
                "2026-01-01T00:00:00.250000Z [boot_id=" + ID + " category=input]",
                "    TS=2026-01-01T00:00:00.250000Z",
                "    LEVEL=INFO",
                "    COMPONENT=input",
                "    EVENT=KEY",
                "    code=30",
                "2026-01-01T00:00:01.500000Z [boot_id=" + ID + " category=boot]",
                "    TS=2026-01-01T00:00:01.500000Z",
                "    LEVEL=WARN",
                "    COMPONENT=disk",
                "    EVENT=SLOW",
                "    dev=/dev/sda",
                "    why=x\\x0ay",
                "    msg=took 2 s");
        assertThat(text(monoOnly, "verbose").lines().filter(l -> !l.startsWith(" "))).containsExactly(
                "mono:7258197463000 [boot_id=" + MONO_ID + " category=boot]",
                "2026-01-01T00:00:03.000000Z [boot_id=" + MONO_ID + " category=boot]");
    }

    @Test
    void textFormsCountTheFlaggedLinesAsShown() throws Exception {
        for (String form : List.of("short-iso", "short-precise", "short-monotonic", "cat", "verbose")) {
            ReadRoot.Read r = root.read(List.of(synced), LogQuery.ALL, form);
            assertThat(r.form().shown()).as(form).isEqualTo(5);
            assertThat(r.form().skipped()).as(form).isZero();
        }
    }

    @Test
    void shortAndRawCountEveryLineTheyWriteFlaggedOnesIncluded() throws Exception {
        for (String form : List.of("short", "raw")) {
            ReadRoot.Read r = root.read(List.of(synced), LogQuery.ALL, form);
            assertThat(r.text().lines()).as(form).hasSize(5);
            assertThat(r.form().shown()).as(form).isEqualTo(5);
        }
        ReadRoot.Read clean = root.read(List.of(monoOnly), LogQuery.ALL, "raw"); // the bulk path: no flagged line
        assertThat(clean.text()).isEqualTo(ReadRoot.lines("mono:7258197463000 INFO kernel UP",
                "2026-01-01T00:00:03.000000Z INFO app LATE"));
        assertThat(clean.form().shown()).isEqualTo(2);
        // several boots: each starts with its header, #N being the boot's number (-b N)
        assertThat(root.text(List.of(synced, monoOnly), LogQuery.ALL, "short").lines()
                .filter(l -> l.startsWith("-- "))).containsExactly("-- boot " + ID + " #1 normal --",
                "-- boot " + MONO_ID + " #2 safe --");
    }

    @Test
    void jsonWritesOneObjectPerReadableLineAndCountsTheRestAsSkipped() throws Exception {
        ReadRoot.Read r = root.read(List.of(synced), LogQuery.ALL, "json");
        assertThat(r.text().lines()).containsExactly(
                "{\"boot_id\":\"" + ID + "\",\"category\":\"boot\",\"ts\":\"mono:2123456789\","
                        + "\"utc\":\"2025-12-31T23:59:57.123456789Z\",\"estimated\":true,\"level\":\"INFO\","
                        + "\"component\":\"kernel\",\"event\":\"EARLY\",\"fields\":{\"n\":\"1\"}}",
                "{\"boot_id\":\"" + ID + "\",\"category\":\"input\",\"ts\":\"2026-01-01T00:00:00.250000Z\","
                        + "\"utc\":\"2026-01-01T00:00:00.250000Z\",\"estimated\":false,\"level\":\"INFO\","
                        + "\"component\":\"input\",\"event\":\"KEY\",\"fields\":{\"code\":\"30\"}}",
                "{\"boot_id\":\"" + ID + "\",\"category\":\"boot\",\"ts\":\"2026-01-01T00:00:01.500000Z\","
                        + "\"utc\":\"2026-01-01T00:00:01.500000Z\",\"estimated\":false,\"level\":\"WARN\","
                        + "\"component\":\"disk\",\"event\":\"SLOW\",\"fields\":{\"dev\":\"/dev/sda\","
                        + "\"why\":\"x\\ny\",\"msg\":\"took 2 s\"}}");
        assertThat(r.form().shown()).isEqualTo(3);
        assertThat(r.form().skipped()).isEqualTo(2);
        assertThat(text(monoOnly, "json").lines().findFirst().orElseThrow()).isEqualTo(
                "{\"boot_id\":\"" + MONO_ID + "\",\"category\":\"boot\",\"ts\":\"mono:7258197463000\","
                        + "\"estimated\":false,\"level\":\"INFO\",\"component\":\"kernel\",\"event\":\"UP\",\"fields\":{}}");
    }

    @Test
    void jsonPrettyIsTheSameObjectsIndented() throws Exception {
        ReadRoot.Read pretty = root.read(List.of(synced), LogQuery.ALL, "json-pretty");
        String compact = text(synced, "json");
        assertThat(pretty.text()).contains("\n  \"boot_id\" : \"" + ID + "\",\n");
        // the same objects: the pretty text without its indentation and the spaces around ':'
        assertThat(pretty.text().replaceAll("\n *", "").replace("\" : ", "\":").replace("}{", "}\n{") + "\n")
                .isEqualTo(compact);
        assertThat(pretty.form().skipped()).isEqualTo(2);
        assertThat(pretty.form().shown()).isEqualTo(3);
    }

    /** One export entry: NAME=value fields, a value given as a byte array in the binary form. */
    static byte[] entry(Object... fields) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int k = 0; k < fields.length; k++) {
            if (fields[k] instanceof String s) {
                b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                byte[] v = (byte[]) fields[k];
                b.write('\n');
                b.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v.length).array());
                b.writeBytes(v);
            }
            if (k + 1 == fields.length || fields[k + 1] instanceof String) {
                b.write('\n');
            }
        }
        b.write('\n');
        return b.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    @Test
    void exportWritesJournalEntriesWithBothClocksAndAValueWithALineFeedInBinaryForm() throws Exception {
        ReadRoot.Read r = root.read(List.of(synced), LogQuery.ALL, "export");
        assertThat(r.bytes()).isEqualTo(concat(
                entry("__REALTIME_TIMESTAMP=1767225597123456", "__MONOTONIC_TIMESTAMP=2123456", "_BOOT_ID=" + ID,
                        "PRIORITY=6", "SYSLOG_IDENTIFIER=kernel", "MESSAGE=kernel EARLY n=1", "RAYOS_TS=mono:2123456789",
                        "RAYOS_LEVEL=INFO", "RAYOS_EVENT=EARLY", "RAYOS_CATEGORY=boot", "RAYOS_F_N=1"),
                entry("__REALTIME_TIMESTAMP=1767225600250000", "__MONOTONIC_TIMESTAMP=5250000", "_BOOT_ID=" + ID,
                        "PRIORITY=6", "SYSLOG_IDENTIFIER=input", "MESSAGE=input KEY code=30",
                        "RAYOS_TS=2026-01-01T00:00:00.250000Z", "RAYOS_LEVEL=INFO", "RAYOS_EVENT=KEY",
                        "RAYOS_CATEGORY=input", "RAYOS_F_CODE=30"),
                entry("__REALTIME_TIMESTAMP=1767225601500000", "__MONOTONIC_TIMESTAMP=6500000", "_BOOT_ID=" + ID,
                        "PRIORITY=4", "SYSLOG_IDENTIFIER=disk", "MESSAGE=took 2 s",
                        "RAYOS_TS=2026-01-01T00:00:01.500000Z", "RAYOS_LEVEL=WARN", "RAYOS_EVENT=SLOW",
                        "RAYOS_CATEGORY=boot", "RAYOS_F_DEV=/dev/sda", "RAYOS_F_WHY", new byte[] {'x', '\n', 'y'},
                        "RAYOS_F_MSG=took 2 s")));
        assertThat(r.form().skipped()).isEqualTo(2);
        assertThat(r.form().shown()).isEqualTo(3);
    }

    @Test
    void exportOfABootWithoutAPairHasOnlyTheClockEachLineCarries() throws Exception {
        assertThat(root.read(List.of(monoOnly), LogQuery.ALL, "export").bytes()).isEqualTo(concat(
                entry("__MONOTONIC_TIMESTAMP=7258197463", "_BOOT_ID=" + MONO_ID, "PRIORITY=6",
                        "SYSLOG_IDENTIFIER=kernel", "MESSAGE=kernel UP", "RAYOS_TS=mono:7258197463000",
                        "RAYOS_LEVEL=INFO", "RAYOS_EVENT=UP", "RAYOS_CATEGORY=boot"),
                entry("__REALTIME_TIMESTAMP=1767225603000000", "_BOOT_ID=" + MONO_ID, "PRIORITY=6",
                        "SYSLOG_IDENTIFIER=app", "MESSAGE=app LATE", "RAYOS_TS=2026-01-01T00:00:03.000000Z",
                        "RAYOS_LEVEL=INFO", "RAYOS_EVENT=LATE", "RAYOS_CATEGORY=boot")));
    }

    @Test
    void exportWritesEveryControlCharacterInBinaryFormAndKeepsTheRestAsText() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = root.boot(ReadRoot.monoOnly(id, 2));
        String key56 = "k".repeat(56);
        root.file("boot", id.hex() + ".log", ReadRoot.lines("mono:1000 INFO app SAID us=\"a\\x1fb\" del=\"a\\x7fb\""
                + " c1a=\"a\\u0080b\" c1z=\"a\\u009fb\" nbsp=\"a\u00a0b\" tilde=a~b sp=\"a b\" the.key-x=1 "
                + key56 + "=2 " + key56 + "z=3"));
        assertThat(root.read(List.of(e), LogQuery.ALL, "export").bytes()).isEqualTo(entry(
                "__MONOTONIC_TIMESTAMP=1", "_BOOT_ID=" + id.hex(), "PRIORITY=6", "SYSLOG_IDENTIFIER=app",
                "MESSAGE=app SAID us=\"a\\x1fb\" del=\"a\\x7fb\" c1a=\"a\\u0080b\" c1z=\"a\\u009fb\" nbsp=\"a\u00a0b\""
                        + " tilde=a~b sp=\"a b\" the.key-x=1 " + key56 + "=2 " + key56 + "z=3",
                "RAYOS_TS=mono:1000", "RAYOS_LEVEL=INFO", "RAYOS_EVENT=SAID", "RAYOS_CATEGORY=boot",
                "RAYOS_F_US", new byte[] {'a', 0x1f, 'b'},
                "RAYOS_F_DEL", new byte[] {'a', 0x7f, 'b'},
                "RAYOS_F_C1A", "a\u0080b".getBytes(StandardCharsets.UTF_8),
                "RAYOS_F_C1Z", "a\u009fb".getBytes(StandardCharsets.UTF_8),
                "RAYOS_F_NBSP=a\u00a0b", "RAYOS_F_TILDE=a~b", "RAYOS_F_SP=a b", "RAYOS_F_THE_KEY_X=1",
                "RAYOS_F_" + "K".repeat(56) + "=2", // 64 characters: kept whole
                "RAYOS_F_" + "K".repeat(56) + "=3")); // 65: cut to the journal's 64
    }

    /** docs/reading-logs-vectors.txt: \n, \xHH and \\ as bytes; the rest UTF-8. */
    private static byte[] unescape(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && s.charAt(i + 1) == 'n') {
                b.write('\n');
                i++;
            } else if (c == '\\' && s.charAt(i + 1) == 'x') {
                b.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else if (c == '\\' && s.charAt(i + 1) == '\\') {
                b.write('\\');
                i++;
            } else {
                b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return b.toByteArray();
    }

    @Test
    void exportAndJsonOfTheDocumentedVectorsAreWhatTheVectorsList() throws Exception {
        ByteArrayOutputStream export = new ByteArrayOutputStream();
        StringBuilder json = new StringBuilder();
        StringBuilder stored = new StringBuilder();
        boolean open = false;
        for (String v : Files.readAllLines(Vectors.docs("reading-logs-vectors.txt"), StandardCharsets.UTF_8)) {
            if (v.startsWith("line ")) {
                if (open) {
                    export.write('\n');
                }
                stored.append(v.substring(5)).append('\n');
                open = true;
            } else if (v.startsWith("export ")) {
                export.writeBytes(unescape(v.substring(7)));
                export.write('\n');
            } else if (v.startsWith("json ")) {
                json.append(v.substring(5)).append('\n');
            }
        }
        export.write('\n');
        BootCatalog.Entry noHistory = new BootCatalog.Entry(new BootId(ID), null);
        root.file("boot", ID + ".log", stored.toString());
        root.file("input", ID + ".log", ""); // an empty category file changes nothing
        assertThat(root.read(List.of(noHistory), LogQuery.ALL, "export").bytes()).isEqualTo(export.toByteArray());
        assertThat(root.text(List.of(noHistory), LogQuery.ALL, "json")).isEqualTo(json.toString());
    }

    @Test
    void anUnknownFormIsRefusedNamingEveryForm() {
        assertThatThrownBy(() -> LineFormat.of("short-full", new ByteArrayOutputStream(), root.layout, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("output 'short-full' is not one of short, short-iso, short-precise, short-monotonic, cat, raw, "
                        + "json, json-pretty, verbose, export");
        for (String form : LineFormat.FORMS) {
            assertThat(LineFormat.of(form, new ByteArrayOutputStream(), root.layout, false)).as(form).isNotNull();
        }
    }
}
