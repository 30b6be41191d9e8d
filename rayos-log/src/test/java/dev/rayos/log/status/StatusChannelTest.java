package dev.rayos.log.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The logging system's own troubles as the person at the console sees them (stderr) and as they are kept. */
class StatusChannelTest {
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    final AtomicLong mono = new AtomicLong(100);
    final StatusChannel status = new StatusChannel(new PrintStream(stderr, true, StandardCharsets.UTF_8), mono::get);

    private String printed() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aTroubleIsPrintedOnceUntilItClearsAndEveryReportIsKept() {
        status.report("store", "cannot write logs: disk full");
        mono.set(200);
        status.report("store", "cannot write logs: disk full");
        status.report("fsync", "fsync failed");
        assertThat(printed()).isEqualTo("rayos-log: cannot write logs: disk full\nrayos-log: fsync failed\n");
        status.cleared("store");
        status.report("store", "cannot write logs: read-only file system");
        assertThat(printed()).endsWith("rayos-log: fsync failed\nrayos-log: cannot write logs: read-only file system\n");
        assertThat(status.recent()).containsExactly(
                new StatusChannel.Entry(100, "store", "cannot write logs: disk full"),
                new StatusChannel.Entry(200, "store", "cannot write logs: disk full"),
                new StatusChannel.Entry(200, "fsync", "fsync failed"),
                new StatusChannel.Entry(200, "store", "cannot write logs: read-only file system"));
    }

    @Test
    void onlyTheLastSixtyFourReportsAreKept() {
        for (int i = 0; i < StatusChannel.KEPT + 1; i++) {
            mono.set(i);
            status.report("store", "try " + i);
        }
        assertThat(status.recent()).hasSize(64);
        assertThat(status.recent().get(0).message()).isEqualTo("try 1");
        assertThat(status.recent().get(63).message()).isEqualTo("try 64");
    }

    @Test
    void theSinkIsToldOfEveryReportAndOfAFailingKindThatClearsButNotOfAClearOfNothing() {
        java.util.List<String> told = new java.util.ArrayList<>();
        StatusChannel withSink = new StatusChannel(new PrintStream(stderr, true, StandardCharsets.UTF_8), mono::get,
                (recent, active) -> told.add(recent.size() + " " + new java.util.TreeSet<>(active)));
        withSink.report("store", "disk full");
        withSink.report("fsync", "fsync failed");
        withSink.cleared("store");
        withSink.cleared("store");
        withSink.cleared("never-reported");
        assertThat(told).containsExactly("1 [store]", "2 [fsync, store]", "2 [fsync]");
    }

    @Test
    void aSinkThatCannotWriteIsSaidOnceAndTheChannelGoesOn() {
        StatusChannel withSink = new StatusChannel(new PrintStream(stderr, true, StandardCharsets.UTF_8), mono::get,
                (recent, active) -> {
                    throw new java.io.IOException("run/rayos/status: read-only file system");
                });
        withSink.report("store", "disk full");
        withSink.report("fsync", "fsync failed");
        assertThat(printed()).isEqualTo("rayos-log: cannot keep the status for 'rayos status': run/rayos/status:"
                + " read-only file system\nrayos-log: disk full\nrayos-log: fsync failed\n");
        assertThat(withSink.recent()).hasSize(2);
    }
}
