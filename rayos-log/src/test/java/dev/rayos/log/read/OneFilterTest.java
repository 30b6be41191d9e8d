package dev.rayos.log.read;

import static dev.rayos.log.read.ReadRoot.S;
import static dev.rayos.log.read.ReadRoot.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each filter of {@code rayos logs} given alone, with no level asked (the case the scanner's fast
 * path must hand every line on for): it leaves out exactly the lines it does not match, with the
 * fast path as without it.
 */
class OneFilterTest {

    @TempDir
    java.nio.file.Path dir;
    ReadRoot root;
    BootCatalog.Entry boot;

    @BeforeEach
    void machine() throws Exception {
        root = new ReadRoot(dir);
        BootId id = BootId.random();
        boot = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0));
        root.file("boot", id.hex() + ".log", ReadRoot.lines(
                ReadRoot.utc(T0 + S) + " INFO kernel DISK_UP dev=sda",
                ReadRoot.utc(T0 + 2 * S) + " INFO net LINK_UP dev=eth0",
                ReadRoot.utc(T0 + 3 * S) + " WARN kernel DISK_SLOW dev=sda ms=900",
                ReadRoot.utc(T0 + 4 * S) + " INFO app STARTED"));
    }

    private List<String> events(LogQuery q, boolean fast) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LogReader r = new LogReader(root.layout, q, 2)) {
            r.fastPath = fast;
            r.read(List.of(boot), LineFormat.of("raw", out, root.layout, false), false);
        }
        return LogReaderTest.events(out.toString(StandardCharsets.UTF_8));
    }

    private void shows(LogQuery q, String... expected) throws Exception {
        for (boolean fast : new boolean[] {true, false}) {
            assertThat(events(q, fast)).as("fast path " + fast).containsExactly(expected);
        }
    }

    @Test
    void aGrepAloneShowsOnlyTheLinesItFinds() throws Exception {
        shows(new LogQuery(null, null, null, null, LogQuery.regex("dev=sda"), null, null), "DISK_UP", "DISK_SLOW");
    }

    @Test
    void anEventGlobAloneShowsOnlyTheLinesOfMatchingEvents() throws Exception {
        shows(new LogQuery(null, null, LogQuery.glob("*_UP"), null, null, null, null), "DISK_UP", "LINK_UP");
    }

    @Test
    void aComponentAloneShowsOnlyItsLines() throws Exception {
        shows(new LogQuery(null, Set.of("kernel"), null, null, null, null, null), "DISK_UP", "DISK_SLOW");
        shows(new LogQuery(null, null, null, null, null, null, null, null, LogQuery.glob("n*")), "LINK_UP");
    }

    @Test
    void aTimeWindowAloneShowsOnlyTheLinesInIt() throws Exception {
        shows(new LogQuery(null, null, null, null, null, T0 + 2 * S, T0 + 3 * S), "LINK_UP", "DISK_SLOW");
        shows(new LogQuery(null, null, null, null, null, null, T0 + S), "DISK_UP");
    }
}
