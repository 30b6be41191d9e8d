package dev.rayos.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lines start-up logs about what the dead left behind (docs/ring-format.md, recovery): a crash
 * report written out of a ring, a crash record that cannot be read, a ring file that is no ring, a
 * damaged record, and lines an early ring had to overwrite. Each dead process here is an early-boot
 * one (not mounted), whose ring stays on disk when it ends.
 */
class LogSystemStartReportTest {
    @TempDir
    Path root;

    RootLayout layout() {
        return new RootLayout(root);
    }

    LogSystem.Builder builder(BootId boot, Policy policy) {
        return LogSystem.builder(layout()).boot(boot).console(new ByteArrayOutputStream()).policy(policy);
    }

    /** The lines the next boot's start-up logged (component {@code log}), without their time. */
    List<String> startUpLines() throws Exception {
        BootId next = BootId.random();
        try (LogSystem sys = builder(next, Policy.DEFAULTS).open()) {
            sys.flush();
        }
        Path f = layout().logFile("boot", next);
        return Files.exists(f) ? Files.readAllLines(f).stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList()
                : List.of();
    }

    @Test
    void aPanicHeldInARingIsWrittenOutAtTheNextStartWhichSaysWhere() throws Exception {
        BootId dead = BootId.random();
        try (LogSystem gone = builder(dead, Policy.DEFAULTS).mounted(false).open()) {
            Panic.of(gone, "kernel").panic("no data partition");
        }
        assertThat(startUpLines()).contains("WARN log CRASH_REPORT_RECOVERED boot=" + dead.hex() + " report="
                + layout().relative(layout().crashReport(dead)));
        assertThat(layout().crashReport(dead)).exists();
    }

    @Test
    void aCrashRecordThatCannotBeReadIsReportedAsHeldNowhereForAnUnknownBoot() throws Exception {
        try (LogSystem gone = builder(BootId.random(), Policy.DEFAULTS).mounted(false).open()) {
            gone.writeCrashRecord("format=9 not a crash report".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(startUpLines()).filteredOn(l -> l.contains("CRASH_REPORT")).singleElement().asString()
                .startsWith("ERROR log CRASH_REPORT_HELD boot=unknown held_in=nothing problem=\"unreadable crash record: ");
    }

    @Test
    void aRingFileThatIsNoRingIsSetAsideAndReportedCorruptWithTheReason() throws Exception {
        Files.createDirectories(layout().ringDir());
        byte[] junk = new byte[8192];
        new java.util.Random(7).nextBytes(junk);
        Files.write(layout().ringDir().resolve("junk.ring"), junk);
        List<String> got = startUpLines();
        assertThat(got).singleElement().asString().startsWith("WARN log RAYOS_LOG_CORRUPT ring=junk.ring count=1 error=");
        assertThat(layout().ringDir().resolve("junk.ring.corrupt")).exists();
    }

    @Test
    void aDamagedRecordIsCountedAndTheLinesAroundItAreWrittenOut() throws Exception {
        BootId dead = BootId.random();
        Path ring = layout().ringDir().resolve("early.ring");
        try (LogSystem gone = builder(dead, Policy.DEFAULTS).ring(ring).mounted(false).open()) {
            gone.logger("kernel").info("FIRST").log();
            gone.logger("kernel").info("SECOND").kv("text", "damaged on disk").log();
            gone.logger("kernel").info("THIRD").log();
        }
        flip(ring, "damaged on disk");
        List<String> got = startUpLines();
        assertThat(got).containsExactly(
                "INFO log RAYOS_LOG_RECOVERED ring=early.ring boot=" + dead.hex() + " lines=2 already_in_files=0",
                "WARN log RAYOS_LOG_CORRUPT ring=early.ring boot=" + dead.hex() + " count=1");
        assertThat(Files.readAllLines(layout().logFile("boot", dead))).extracting(l -> l.substring(l.indexOf(' ') + 1))
                .containsExactly("INFO kernel FIRST", "INFO kernel THIRD");
    }

    @Test
    void linesAnEarlyRingHadToOverwriteBeforeItsProcessDiedAreCountedAtTheNextStart() throws Exception {
        BootId dead = BootId.random();
        int n = 400; // about 420 KiB: more than the 256 KiB ring
        try (LogSystem gone = builder(dead, Policy.parse("ring.size = 256KiB\n")).mounted(false).open()) {
            for (int i = 0; i < n; i++) {
                gone.logger("kernel").info("EARLY").kv("i", i).kv("pad", "x".repeat(1000)).log();
            }
        }
        List<String> got = startUpLines();
        assertThat(got).hasSize(2);
        Matcher m = Pattern.compile("WARN log RAYOS_LOG_DROPPED sink=ring boot=" + dead.hex() + " count=(\\d+)")
                .matcher(got.get(1));
        assertThat(m.matches()).as(got.get(1)).isTrue();
        long lost = Long.parseLong(m.group(1));
        assertThat(lost).isPositive();
        assertThat(got.get(0)).startsWith("INFO log RAYOS_LOG_RECOVERED ring=")
                .endsWith(" boot=" + dead.hex() + " lines=" + (n - lost) + " already_in_files=0");
        assertThat(Files.readAllLines(layout().logFile("boot", dead))).hasSize((int) (n - lost));
    }

    /** Changes one byte of {@code text} where the ring file holds it, as a bad sector would. */
    static void flip(Path file, String text) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + t.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + t.length, t, 0, t.length)) {
                bytes[i + 3] ^= 0x20;
                Files.write(file, bytes);
                return;
            }
        }
        throw new AssertionError("no \"" + text + "\" in " + file);
    }
}
