package dev.rayos.log.boot;

import dev.rayos.log.root.BootId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.rayos.log.Logger;
import dev.rayos.log.LogSystem;
import dev.rayos.log.line.Marker;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootHistoryTest {
    static final Path VECTORS = Path.of(System.getProperty("rayos.repo", ".."), "docs/boot-history-vectors");

    @TempDir
    Path root;

    static List<Path> vectors(String kind) throws Exception {
        try (Stream<Path> s = Files.list(VECTORS.resolve(kind))) {
            return s.sorted().toList();
        }
    }

    @Test
    void everyValidVectorReadsAndWritesBackAsSchemaThreeWithTheSameMeaning() throws Exception {
        assertThat(vectors("valid")).hasSizeGreaterThanOrEqualTo(2);
        for (Path v : vectors("valid")) {
            BootRecord r = BootRecord.fromJson(Files.readAllBytes(v));
            BootRecord again = BootRecord.fromJson(r.toJson());
            assertThat(again).as(v.toString()).isEqualTo(r);
            assertThat(new String(r.toJson(), StandardCharsets.UTF_8)).contains("\"schema\" : 3");
        }
        BootRecord synced = BootRecord.fromJson(Files.readAllBytes(VECTORS.resolve("valid/schema2-synced-ready.json")));
        assertThat(synced.marker(Marker.READY).monoNanos()).isEqualTo(6_000_000_000L);
        assertThat(synced.clockPair().monoNanos()).isEqualTo(5_000_000_000L);
        BootRecord old = BootRecord.fromJson(Files.readAllBytes(VECTORS.resolve("valid/schema1-as-written-before.json")));
        assertThat(old.markers()).isEmpty();
        assertThat(old.clockPair().monoNanos()).isEqualTo(42); // the start is the pair of a boot with a wall clock
        BootRecord failed = BootRecord.fromJson(Files.readAllBytes(VECTORS.resolve("valid/schema3-failed-watchdog.json")));
        assertThat(failed.failure()).isEqualTo(FailureReason.WATCHDOG);
        assertThat(failed.loader()).isEqualTo(new LoaderState("rayos+1-2.conf", 1, 2, false));
        BootRecord recovery = BootRecord.fromJson(Files.readAllBytes(VECTORS.resolve("valid/schema3-recovery-uncounted.json")));
        assertThat(recovery.loader().counted()).isFalse();
        assertThat(recovery.failure()).isNull();
        BootRecord stepped = BootRecord.fromJson(Files.readAllBytes(VECTORS.resolve("valid/schema3-clock-stepped.json")));
        assertThat(stepped.clockPair().utc()).as("the first sync places mono lines").isEqualTo("2026-12-02T10:00:00.000000Z");
        assertThat(stepped.writingPair().utc()).as("the step is what lines carry since").isEqualTo("2026-12-02T11:00:00.000000Z");
    }

    @Test
    void aLaterSyncIsKeptAsAStepAndTheFirstStillPlacesMonoTime() {
        BootRecord r = new BootRecord(BootId.random(), 0, "v", "b", BootMode.NORMAL, 1, null, false, EndState.RUNNING,
                -1, null, "l", null);
        BootRecord once = r.withTimeSync(5_000, "2026-12-02T10:00:00.000000Z");
        BootRecord twice = once.withTimeSync(9_000, "2026-12-02T11:00:00.000000Z").withTimeSync(12_000,
                "2026-12-02T12:00:00.000000Z");
        assertThat(once.timeStep()).isNull();
        assertThat(once.writingPair()).isEqualTo(once.timeSync());
        assertThat(twice.clockPair()).isEqualTo(once.timeSync());
        assertThat(twice.writingPair()).isEqualTo(new BootRecord.TimeSync(12_000, "2026-12-02T12:00:00.000000Z"));
        assertThat(twice.withSeq(4).writingPair()).isEqualTo(twice.writingPair());
    }

    @Test
    void everyInvalidVectorIsRefusedWithAReason() throws Exception {
        assertThat(vectors("invalid")).hasSizeGreaterThanOrEqualTo(6);
        for (Path v : vectors("invalid")) {
            assertThatThrownBy(() -> BootRecord.fromJson(Files.readAllBytes(v))).as(v.toString())
                    .isInstanceOf(BootHistoryException.class).message().isNotBlank();
        }
    }

    @Test
    void theSchemaFileRequiresWhatTheCodeWrites() throws Exception {
        Object schema = JSON.std.anyFrom(Files.readString(VECTORS.getParent().resolve("boot-history.schema.json")));
        @SuppressWarnings("unchecked")
        List<Object> required = (List<Object>) ((Map<String, Object>) schema).get("required");
        BootRecord r = new BootRecord(BootId.random(), 0, "v", "b", BootMode.NORMAL, 1, null, false, EndState.RUNNING,
                -1, null, "l", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> written = (Map<String, Object>) JSON.std.anyFrom(new String(r.toJson(), StandardCharsets.UTF_8));
        assertThat(written.keySet()).containsAll(required.stream().map(String::valueOf).toList());
    }

    @Provide
    Arbitrary<byte[]> hostileJson() {
        Arbitrary<String> fragments = Arbitraries.of("{", "}", "[", "]", "\"schema\":", "2", "1", "-1", "1e400",
                "\"boot_id\":", "\"0123456789abcdef0123456789abcdef\"", ",", "\"markers\":", "\"name\":",
                "\"RAYOS_READY\"", "null", "true", "\"mono_ns\":", "99999999999999999999999", "\"utc\":",
                "\"2025-12-30T15:12:01Z\"", "\"start\":", "\"end\":", "\"state\":", "\"clean\"", "\"time_sync\":");
        return Arbitraries.oneOf(
                fragments.list().ofMaxSize(40).map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                Arbitraries.integers().between(1, 5000).map(n -> "[".repeat(n).getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 1500)
    void hostileHistoryBytesGiveARecordOrAHistoryErrorNeverAnotherException(@ForAll("hostileJson") byte[] b) {
        try {
            BootRecord r = BootRecord.fromJson(b);
            assertThat(r.markers().size()).isLessThanOrEqualTo(BootRecord.MAX_MARKERS);
        } catch (BootHistoryException e) {
            assertThat(e.getMessage()).isNotNull();
        }
    }

    @Test
    void aDamagedHistoryFileIsReportedAndSkippedAndNeverStopsANewBoot() throws Exception {
        RootLayout layout = new RootLayout(root);
        Boots boots = new Boots(layout, LogClock.system());
        BootRecord first = boots.start(BootMode.NORMAL, true);
        Files.writeString(layout.historyFile(first.id()), "{\"schema\":2, \"boot_id\": tru");
        BootRecord second = boots.start(BootMode.NORMAL, true);
        Boots.Listing l = boots.list();
        assertThat(l.boots()).extracting(BootRecord::id).containsExactly(second.id());
        assertThat(l.damaged()).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo(layout.historyFile(first.id()));
            assertThat(d.why()).contains("not valid JSON");
        });
    }

    @Test
    void aBootThatNeverRecordedItsEndIsMarkedUncleanByTheNext() throws Exception {
        Boots boots = new Boots(new RootLayout(root), LogClock.system());
        BootRecord first = boots.start(BootMode.SAFE, true);
        boots.start(BootMode.NORMAL, true);
        assertThat(boots.read(first.id()).end()).isEqualTo(EndState.UNCLEAN);
    }

    @Test
    void timeSyncFlipsTheWallClockAndKeepsThePair() throws Exception {
        Boots boots = new Boots(new RootLayout(root), LogClock.system());
        BootRecord b = boots.start(BootMode.NORMAL, false);
        assertThat(b.wallClock()).isFalse();
        assertThat(b.clockPair()).isNull();
        boots.timeSync(b.id(), 77, "2025-12-30T15:12:01.000000Z");
        BootRecord after = boots.read(b.id());
        assertThat(after.wallClock()).isTrue();
        assertThat(after.timeSync()).isEqualTo(new BootRecord.TimeSync(77, "2025-12-30T15:12:01.000000Z"));
        assertThatThrownBy(() -> boots.timeSync(b.id(), 78, "not a time")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readinessMarkersLoggedThroughTheHookLandInTheHistoryOnceWithTheirMonoTime() throws Exception {
        RootLayout layout = new RootLayout(root);
        Boots boots = new Boots(layout, LogClock.system());
        BootRecord b = boots.start(BootMode.NORMAL, false);
        try (LogSystem sys = LogSystem.builder(layout).boot(b.id()).wallClockKnown(false)
                .console(new ByteArrayOutputStream()).onMarker(boots::recordMarker).open()) {
            Logger k = sys.logger("kernel");
            k.info(Marker.KERNEL_START).log();
            k.info("NOT_A_MARKER").log();
            k.info(Marker.READY).log();
            k.info(Marker.READY).kv("again", true).log();
        }
        BootRecord r = boots.read(b.id());
        assertThat(r.markers()).extracting(BootRecord.MarkerTime::name)
                .containsExactly(Marker.KERNEL_START, Marker.READY);
        assertThat(r.marker(Marker.READY).monoNanos()).isGreaterThan(r.marker(Marker.KERNEL_START).monoNanos())
                .isGreaterThanOrEqualTo(b.startMono());
        assertThat(r.marker(Marker.READY).utc()).isNull(); // the wall clock was not known
    }
}
