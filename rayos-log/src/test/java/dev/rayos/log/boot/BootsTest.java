package dev.rayos.log.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot history as {@code rayos boots}, {@code rayos logs -b} and the next boot's start read and
 * repair it: real history files in a real root, damaged by hand as a torn write or a foreign tool
 * leaves them.
 */
class BootsTest {
    @TempDir
    Path root;

    RootLayout layout;
    Boots boots;

    @BeforeEach
    void setUp() {
        layout = new RootLayout(root);
        boots = new Boots(layout, LogClock.system());
    }

    private static BootId id(char c) {
        return new BootId(String.valueOf(c).repeat(32));
    }

    private static BootRecord record(BootId id, long seq, EndState end) {
        return new BootRecord(id, seq, "v", "b", BootMode.NORMAL, 1, null, false, end, -1, null, "l", null);
    }

    private void put(BootRecord r) throws IOException {
        Files.createDirectories(layout.historyDir());
        Files.write(layout.historyFile(r.id()), r.toJson());
    }

    private String currentIdFile() throws IOException {
        return Files.readString(layout.currentBootIdFile(), StandardCharsets.US_ASCII);
    }

    @Test
    void aStartedBootIsTheCurrentOneAndItsIdFileSaysSo() throws Exception {
        assertThat(boots.current()).isEmpty();
        BootRecord b = boots.start(BootMode.NORMAL, true);
        assertThat(currentIdFile()).isEqualTo(b.id().hex() + "\n");
        assertThat(boots.current()).contains(b.id());
        assertThat(boots.currentDamage()).isEmpty();
        assertThat(b.end()).isEqualTo(EndState.RUNNING);
        assertThat(b.logs()).isEqualTo("var/rayos/logs/boot/" + b.id().hex() + ".log");
    }

    @Test
    void aDamagedCurrentBootIdIsNoCurrentBootAndIsSaidWithWhatItHolds() throws Exception {
        assertThat(boots.currentDamage()).as("absent").isEmpty();
        Files.createDirectories(layout.bootDir());
        Files.writeString(layout.currentBootIdFile(), "xyz\n");
        assertThat(boots.current()).isEmpty();
        assertThat(boots.currentDamage()).contains(
                "var/rayos/boot/current_boot_id is damaged (it holds 'xyz', not a boot id)");
        Files.writeString(layout.currentBootIdFile(), "a".repeat(40));
        assertThat(boots.currentDamage()).contains(
                "var/rayos/boot/current_boot_id is damaged (it holds '" + "a".repeat(40) + "', not a boot id)");
        Files.writeString(layout.currentBootIdFile(), "b".repeat(41) + "\n");
        assertThat(boots.currentDamage()).contains(
                "var/rayos/boot/current_boot_id is damaged (it holds '" + "b".repeat(40) + "…', not a boot id)");
        Files.writeString(layout.currentBootIdFile(), "tab\there\n");
        assertThat(boots.currentDamage()).contains(
                "var/rayos/boot/current_boot_id is damaged (it holds 'tab\\x09here', not a boot id)");
    }

    @Test
    void aCurrentBootIdFileThatIsADirectoryIsAnErrorNotAnEmptyHistory() throws Exception {
        Files.createDirectories(layout.currentBootIdFile());
        assertThatThrownBy(() -> boots.current()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> boots.currentDamage()).isInstanceOf(IOException.class);
    }

    @Test
    void whenCurrentBootIdIsDamagedEveryBootStillRunningIsMarkedUncleanAndCleanOnesStayClean() throws Exception {
        BootRecord first = boots.start(BootMode.NORMAL, true);
        boots.end(first.id(), EndState.CLEAN);
        BootRecord second = boots.start(BootMode.NORMAL, true);
        put(record(id('c'), 7, EndState.RUNNING)); // a boot whose start another tool wrote half
        Files.writeString(layout.currentBootIdFile(), "torn");
        BootRecord third = boots.start(BootMode.SAFE, false);
        assertThat(boots.read(first.id()).end()).isEqualTo(EndState.CLEAN);
        assertThat(boots.read(second.id()).end()).isEqualTo(EndState.UNCLEAN);
        assertThat(boots.read(id('c')).end()).isEqualTo(EndState.UNCLEAN);
        assertThat(boots.read(third.id()).end()).isEqualTo(EndState.RUNNING);
        assertThat(third.seq()).isEqualTo(8);
        assertThat(boots.current()).contains(third.id());
    }

    @Test
    void aBootEndedCleanlyStaysCleanAcrossTheStartsThatFollow() throws Exception {
        BootRecord first = boots.start(BootMode.NORMAL, true);
        boots.end(first.id(), EndState.CLEAN);
        BootRecord second = boots.start(BootMode.NORMAL, true);
        boots.start(BootMode.NORMAL, true);
        assertThat(boots.read(first.id()).end()).isEqualTo(EndState.CLEAN);
        assertThat(boots.read(second.id()).end()).isEqualTo(EndState.UNCLEAN);
        assertThat(boots.list().boots()).extracting(BootRecord::seq).containsExactly(0L, 1L, 2L);
    }

    @Test
    void endingABootRecordsTheStateAndTimeAndReturnsWhatItWrote() throws Exception {
        BootRecord b = boots.start(BootMode.NORMAL, true);
        BootRecord ended = boots.end(b.id(), EndState.CLEAN);
        assertThat(ended).isEqualTo(boots.read(b.id()));
        assertThat(ended.end()).isEqualTo(EndState.CLEAN);
        assertThat(ended.endMono()).isGreaterThanOrEqualTo(b.startMono());
        assertThat(ended.endUtc()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(new String(Files.readAllBytes(layout.historyFile(b.id())), StandardCharsets.UTF_8))
                .contains("\"state\" : \"clean\"");
    }

    @Test
    void endingABootWithoutAHistoryFileOrWithADamagedOneFailsAndWritesNothing() throws Exception {
        BootId none = id('d');
        assertThatThrownBy(() -> boots.end(none, EndState.CLEAN)).isInstanceOf(java.nio.file.NoSuchFileException.class);
        assertThat(layout.historyFile(none)).doesNotExist();
        put(record(id('e'), 0, EndState.RUNNING));
        Files.writeString(layout.historyFile(id('e')), "{\"schema\": 3");
        assertThatThrownBy(() -> boots.end(id('e'), EndState.CLEAN)).isInstanceOf(BootHistoryException.class)
                .hasMessageStartingWith("var/rayos/boot/history/" + id('e').hex() + ".json: ");
        assertThat(Files.readString(layout.historyFile(id('e')))).isEqualTo("{\"schema\": 3");
    }

    @Test
    void updatesReturnTheRecordTheyWrote() throws Exception {
        BootRecord b = boots.start(BootMode.NORMAL, false);
        BootRecord synced = boots.timeSync(b.id(), 77, "2025-12-30T15:12:01.000000Z");
        assertThat(synced).isEqualTo(boots.read(b.id()));
        assertThat(synced.wallClock()).isTrue();
        BootRecord marked = boots.recordMarker(b.id(), "RAYOS_READY", 99, null);
        assertThat(marked).isEqualTo(boots.read(b.id()));
        assertThat(marked.markers()).containsExactly(new BootRecord.MarkerTime("RAYOS_READY", 99, null));
        BootRecord failed = boots.update(b.id(), r -> r.withFailure(FailureReason.WATCHDOG));
        assertThat(failed).isEqualTo(boots.read(b.id()));
        assertThat(failed.failure()).isEqualTo(FailureReason.WATCHDOG);
        LoaderState loader = new LoaderState("rayos+1-2.conf", 1, 2, false);
        assertThat(boots.update(b.id(), r -> r.withLoader(loader)).loader()).isEqualTo(loader);
        assertThat(boots.read(b.id()).loader()).isEqualTo(loader);
    }

    @Test
    void aNewBootIsNumberedAfterTheHighestNumberKnownEvenWithOlderFilesGone() throws Exception {
        put(record(id('a'), 10, EndState.CLEAN)); // boots 0–9 removed by hand
        BootRecord next = boots.start(BootMode.NORMAL, true);
        assertThat(next.seq()).isEqualTo(11);
    }

    @Test
    void aDamagedFileKeepsItsLegibleNumberSoNoOtherBootGetsIt() throws Exception {
        put(record(id('a'), 0, EndState.CLEAN));
        Files.writeString(layout.historyFile(id('b')), "{\"schema\": 3, \"boot_id\": \"" + id('b').hex()
                + "\", \"seq\" : 7, \"version\": tru");
        Boots.Listing l = boots.list();
        assertThat(l.damaged()).singleElement().satisfies(d -> {
            assertThat(d.seq()).isEqualTo(7);
            assertThat(d.id()).isEqualTo(id('b'));
            assertThat(d.why()).startsWith("not valid JSON");
        });
        assertThat(boots.start(BootMode.NORMAL, true).seq()).isEqualTo(8);
    }

    @Test
    void damagedFilesWithoutANumberEachStillTakeOne() throws Exception {
        put(record(id('a'), 0, EndState.CLEAN));
        Files.writeString(layout.historyFile(id('b')), "garbage");
        Files.writeString(layout.historyFile(id('c')), "{\"seq\": \"one\"}");
        Boots.Listing l = boots.list();
        assertThat(l.damaged()).hasSize(2).allSatisfy(d -> assertThat(d.seq()).isEqualTo(-1));
        // boot 0, and two boots whose numbers cannot be read: the new one is the fourth
        assertThat(boots.start(BootMode.NORMAL, true).seq()).isEqualTo(3);
    }

    @Test
    void filesThatAreNoBootsHistoryAreListedAsDamagedWithoutABootId() throws Exception {
        Files.createDirectories(layout.historyDir());
        Path foreign = Files.writeString(layout.historyDir().resolve("notes.json"), "{}");
        Files.createDirectories(layout.historyFile(id('a'))); // a directory in a history file's place
        Boots.Listing l = boots.list();
        assertThat(l.boots()).isEmpty();
        assertThat(l.damaged()).extracting(Boots.Damaged::file)
                .containsExactlyInAnyOrder(foreign, layout.historyFile(id('a')));
        assertThat(l.damaged()).allSatisfy(d -> assertThat(d.why()).isEqualTo("not a boot history file name"));
        assertThat(l.damaged()).filteredOn(d -> d.file().equals(foreign)).singleElement()
                .satisfies(d -> assertThat(d.id()).isNull());
        assertThat(l.damaged()).filteredOn(d -> !d.file().equals(foreign)).singleElement()
                .satisfies(d -> assertThat(d.id()).isEqualTo(id('a')));
        assertThat(new Boots.Damaged(layout.historyDir(), "permission denied").id()).isNull();
        assertThat(new Boots.Damaged(root.resolve(id('f').hex()), "x").id()).isEqualTo(id('f'));
    }

    @Test
    void aFileHoldingAnotherBootsRecordIsDamaged() throws Exception {
        put(record(id('a'), 0, EndState.CLEAN));
        Files.copy(layout.historyFile(id('a')), layout.historyFile(id('b')));
        Boots.Listing l = boots.list();
        assertThat(l.boots()).extracting(BootRecord::id).containsExactly(id('a'));
        assertThat(l.damaged()).singleElement().satisfies(d -> assertThat(d.why())
                .isEqualTo("holds boot id " + id('a').hex() + ", not the one of its name"));
    }

    @Test
    void aHistoryFileOfExactlyOneMebibyteIsReadAndOneByteMoreIsDamaged() throws Exception {
        byte[] json = record(id('a'), 0, EndState.CLEAN).toJson();
        byte[] mib = Arrays.copyOf(json, 1 << 20);
        Arrays.fill(mib, json.length, mib.length, (byte) ' ');
        put(record(id('a'), 0, EndState.CLEAN));
        Files.write(layout.historyFile(id('a')), mib);
        assertThat(boots.list().boots()).extracting(BootRecord::id).containsExactly(id('a'));
        Files.write(layout.historyFile(id('a')), Arrays.copyOf(mib, (1 << 20) + 1));
        assertThat(boots.list().damaged()).singleElement()
                .satisfies(d -> assertThat(d.why()).isEqualTo("larger than 1 MiB"));
    }

    @Test
    void theHistoryIsListedOldestFirstAndBootsOfOneNumberByTheirId() throws Exception {
        // ids in the opposite order of their numbers, so neither the directory's order nor the ids' is the answer
        put(record(id('f'), 0, EndState.CLEAN));
        put(record(id('e'), 1, EndState.CLEAN));
        put(record(id('d'), 2, EndState.CLEAN));
        put(record(id('9'), 3, EndState.CLEAN));
        put(record(id('8'), 3, EndState.CLEAN)); // two boots given one number (copied roots merged)
        put(record(id('7'), 4, EndState.CLEAN));
        put(record(id('0'), 5, EndState.CLEAN));
        assertThat(boots.list().boots()).extracting(r -> r.id().hex().charAt(0))
                .containsExactly('f', 'e', 'd', '8', '9', '7', '0');
    }

    @Test
    void oneBootsHistoryIsReadAloneAsTheListingReadsIt() throws Exception {
        assertThat(boots.listOne(id('a'))).isEqualTo(new Boots.Listing(List.of(), List.of())); // no history yet
        put(record(id('a'), 0, EndState.CLEAN));
        Files.writeString(layout.historyFile(id('b')), "garbage"); // another boot's damage is not this one's
        Boots.Listing a = boots.listOne(id('a'));
        assertThat(a.boots()).containsExactly(record(id('a'), 0, EndState.CLEAN));
        assertThat(a.damaged()).isEmpty();
        Boots.Listing b = boots.listOne(id('b'));
        assertThat(b.boots()).isEmpty();
        assertThat(b.damaged()).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo(layout.historyFile(id('b')));
            assertThat(d.why()).startsWith("not valid JSON");
        });
        assertThat(boots.listOne(id('c'))).isEqualTo(new Boots.Listing(List.of(), List.of())); // no file of its own
    }

    @Test
    void listingOneBootClosesTheHistoryDirectoryItOpened() throws Exception {
        put(record(id('a'), 0, EndState.CLEAN));
        long before = openDescriptors();
        for (int i = 0; i < 50; i++) {
            boots.listOne(id('a'));
        }
        assertThat(openDescriptors()).isLessThan(before + 50);
    }

    private static long openDescriptors() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void aBootDirectoryLinkedOutOfTheRootIsRefusedAndNothingIsWrittenThere() throws Exception {
        Path outside = Files.createTempDirectory("outside");
        try {
            Files.createDirectories(layout.bootDir().getParent());
            Files.createSymbolicLink(layout.bootDir(), outside);
            assertThatThrownBy(() -> boots.start(BootMode.NORMAL, true)).isInstanceOf(IOException.class)
                    .hasMessageContaining("outside the root");
            try (var s = Files.list(outside)) {
                assertThat(s.toList()).isEmpty();
            }
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void aBootStillRunningBesideTheCurrentOneIsMarkedUncleanToo() throws Exception {
        BootRecord current = boots.start(BootMode.NORMAL, true);
        put(record(id('c'), 5, EndState.RUNNING)); // copied in from another root, never ended
        BootRecord next = boots.start(BootMode.NORMAL, true);
        assertThat(boots.read(current.id()).end()).isEqualTo(EndState.UNCLEAN);
        assertThat(boots.read(id('c')).end()).isEqualTo(EndState.UNCLEAN);
        assertThat(next.seq()).isEqualTo(6);
    }

    @Test
    void bootsStartedAtOnceFromManyThreadsGetOneNumberEach() throws Exception {
        int n = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<BootRecord>> started = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                started.add(pool.submit(() -> {
                    go.await();
                    return boots.start(BootMode.NORMAL, true);
                }));
            }
            go.countDown();
            List<Long> seqs = new java.util.ArrayList<>();
            for (var f : started) {
                seqs.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS).seq());
            }
            assertThat(seqs).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(boots.list().boots()).hasSize(n).filteredOn(r -> r.end() == EndState.RUNNING).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
