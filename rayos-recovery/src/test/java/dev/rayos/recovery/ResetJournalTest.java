package dev.rayos.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.rayos.log.root.BootId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The factory-reset journal: the documented vectors, torn appends, and hostile bytes. */
class ResetJournalTest {
    private static final BootId BOOT = new BootId("0123456789abcdef0123456789abcdef");
    private static final List<String> STEPS = List.of("preserve-crash-reports", "wipe-logs", "preserve-reset-log");

    static Path vectors() {
        String r = System.getProperty("rayos.repo");
        Path repo = r != null ? Path.of(r) : Path.of("..").toAbsolutePath().normalize();
        return repo.resolve("docs/recovery-vectors/journal.json");
    }

    @Test
    void everyDocumentedVectorParsesAsDocumented() throws Exception {
        List<Object> vs = JSON.std.listFrom(Files.readString(vectors()));
        assertThat(vs).hasSizeGreaterThanOrEqualTo(8);
        for (Object o : vs) {
            @SuppressWarnings("unchecked")
            Map<String, Object> v = (Map<String, Object>) o;
            String name = (String) v.get("name");
            byte[] bytes = ((String) v.get("journal")).getBytes(StandardCharsets.ISO_8859_1);
            if (v.containsKey("error")) {
                assertThatThrownBy(() -> ResetJournal.parse(bytes)).as(name)
                        .isInstanceOf(ResetJournal.JournalException.class)
                        .hasMessageContaining((String) v.get("error"));
            } else {
                ResetJournal.State s = ResetJournal.parse(bytes);
                assertThat(s.mode().id()).as(name).isEqualTo(v.get("mode"));
                assertThat(s.boot().hex()).as(name).isEqualTo(v.get("boot"));
                assertThat(s.steps()).as(name).isEqualTo(v.get("steps"));
                assertThat(s.done()).as(name).isEqualTo(((Number) v.get("done")).intValue());
            }
        }
    }

    @Test
    void theWriterProducesTheDocumentedBytes() throws Exception {
        List<Object> vs = JSON.std.listFrom(Files.readString(vectors()));
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) vs.get(0);
        byte[] written = concat(ResetJournal.plan(FactoryReset.Mode.PRESERVE_VM_DISKS, BOOT, STEPS),
                ResetJournal.done(STEPS.get(0)));
        assertThat(new String(written, StandardCharsets.ISO_8859_1)).isEqualTo(first.get("journal"));
    }

    @Property(tries = 300)
    void aJournalCutAnywhereAfterThePlanReadsAsAPrefixOfTheStepsDone(@ForAll("cuts") int cut) throws Exception {
        byte[] plan = ResetJournal.plan(FactoryReset.Mode.WIPE_ALL, BOOT, STEPS);
        byte[] full = concat(plan, ResetJournal.done(STEPS.get(0)), ResetJournal.done(STEPS.get(1)),
                ResetJournal.done(STEPS.get(2)));
        int at = Math.min(full.length, cut);
        byte[] torn = Arrays.copyOf(full, at);
        if (at < plan.length) {
            assertThatThrownBy(() -> ResetJournal.parse(torn)).isInstanceOf(ResetJournal.JournalException.class);
            return;
        }
        ResetJournal.State s = ResetJournal.parse(torn);
        int wholeDone = 0;
        for (int k = 1; k <= 3; k++) {
            int end = plan.length;
            for (int j = 0; j < k; j++) {
                end += ResetJournal.done(STEPS.get(j)).length;
            }
            if (at >= end) {
                wholeDone = k;
            }
        }
        assertThat(s.done()).isEqualTo(wholeDone);
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, 400);
    }

    @Property(tries = 2000)
    void hostileBytesAreAJournalOrATypedErrorNeverACrash(@ForAll("hostile") byte[] bytes) {
        try {
            ResetJournal.State s = ResetJournal.parse(bytes);
            assertThat(s.done()).isBetween(0, s.steps().size());
            assertThat(s.steps()).isNotEmpty();
        } catch (ResetJournal.JournalException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<byte[]> hostile() {
        byte[] good = concat(ResetJournal.plan(FactoryReset.Mode.PRESERVE_VM_DISKS, BOOT, STEPS),
                ResetJournal.done(STEPS.get(0)));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> flipped = Arbitraries.integers().between(0, good.length - 1)
                .list().ofMinSize(1).ofMaxSize(4).map(is -> {
                    byte[] b = good.clone();
                    for (int i : is) {
                        b[i] ^= (byte) (1 + (i % 255));
                    }
                    return b;
                });
        Arbitrary<byte[]> lines = Arbitraries.of("rayos-factory-reset-journal 1", "mode wipe-all", "mode x",
                        "boot " + BOOT.hex(), "boot zz", "step wipe-logs", "step wipe-logs", "step A", "plan-end",
                        "done wipe-logs", "done nope", "", "#", " #00000000")
                .list().ofMaxSize(12).map(ls -> {
                    StringBuilder sb = new StringBuilder();
                    for (String l : ls) {
                        sb.append(l.startsWith(" #") || l.isEmpty() ? l + "\n" : ResetJournal.line(l));
                    }
                    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
                });
        Arbitrary<byte[]> huge = Arbitraries.just(new byte[ResetJournal.MAX_BYTES + 1]);
        return Arbitraries.oneOf(random, flipped, lines, huge);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
