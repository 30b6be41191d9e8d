package dev.rayos.bridges.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.RemovedFiles;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vectors of docs/bridges-forward-vectors.txt: cursor files read and refused, removals recorded, losses counted, lines framed. */
class ForwardVectorsTest {
    @TempDir
    Path tmp;

    static List<String> vectors() throws Exception {
        String r = System.getProperty("rayos.repo");
        Path repo = r != null ? Path.of(r) : Path.of("..").toAbsolutePath().normalize();
        return Files.readAllLines(repo.resolve("docs/bridges-forward-vectors.txt"), StandardCharsets.UTF_8);
    }

    @Test
    void cursorFilesOfTheVectorsReadBackOrAreRefusedWithTheirReason() throws Exception {
        int ok = 0;
        int bad = 0;
        for (String v : vectors()) {
            if (v.startsWith("cursor-ok ")) {
                byte[] text = (v.substring(10) + "\n").getBytes(StandardCharsets.US_ASCII);
                assertThat(ForwardCursor.parse(text).encode()).as(v).isEqualTo(text);
                ok++;
            } else if (v.startsWith("cursor-bad ")) {
                String[] p = v.substring(11).split(" \\| ", 2);
                assertThatThrownBy(() -> ForwardCursor.parse((p[1] + "\n").getBytes(StandardCharsets.US_ASCII)))
                        .as(v).isInstanceOf(CursorException.class).hasMessageContaining(p[0]);
                bad++;
            }
        }
        assertThat(ok).isGreaterThanOrEqualTo(3);
        assertThat(bad).isGreaterThanOrEqualTo(10);
    }

    @Test
    void storedLinesBecomeTheOctetCountedFramesOfTheVectors() throws Exception {
        Rfc5424Frames enc = new Rfc5424Frames("vm", "00112233aabbccdd", "boot");
        String line = null;
        int n = 0;
        for (String v : vectors()) {
            if (v.startsWith("line ")) {
                line = v.substring(5);
            } else if (v.startsWith("frame ")) {
                byte[] l = line.getBytes(StandardCharsets.UTF_8);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                enc.append(out, l, 0, l.length, "0123456789abcdef0123456789abcdef", 7);
                assertThat(out.toString(StandardCharsets.UTF_8)).as(line).isEqualTo(v.substring(6));
                n++;
            }
        }
        assertThat(n).isGreaterThanOrEqualTo(8);
    }

    @Test
    void forwarderStateFilesOfTheVectorsReadBackOrAreRefusedWithTheirReason() throws Exception {
        int n = 0;
        for (String v : vectors()) {
            if (v.startsWith("state-ok ")) {
                byte[] text = (v.substring(9) + "\n").getBytes(StandardCharsets.US_ASCII);
                assertThat(ForwardState.parse(text).encode()).as(v).isEqualTo(text);
                n++;
            } else if (v.startsWith("state-bad ")) {
                String[] p = v.substring(10).split(" \\| ", 2);
                assertThatThrownBy(() -> ForwardState.parse((p[1] + "\n").getBytes(StandardCharsets.US_ASCII)))
                        .as(v).isInstanceOf(ForwardState.DamagedException.class).hasMessageContaining(p[0]);
                n++;
            }
        }
        assertThat(n).isGreaterThanOrEqualTo(8);
    }

    @Test
    void removalRecordLinesOfTheVectorsReadAsOneRemovalOrAreSkippedAsDamaged() throws Exception {
        int n = 0;
        for (String v : vectors()) {
            boolean ok = v.startsWith("removed-ok ");
            if (!ok && !v.startsWith("removed-bad ")) {
                continue;
            }
            String text = v.substring(v.indexOf(' ') + 1);
            RootLayout layout = new RootLayout(tmp.resolve("r" + n++));
            Files.createDirectories(layout.forwardDir());
            Files.writeString(layout.removedRecords("boot")[1], text + "\n");
            RemovedFiles.Read r = RemovedFiles.read(layout, "boot");
            assertThat(r.entries()).as(v).hasSize(ok ? 1 : 0);
            assertThat(r.damaged()).as(v).isEqualTo(ok ? 0 : 1);
            if (ok) {
                assertThat(RemovedFiles.encode(r.entries().get(0))).isEqualTo(text + "\n");
            }
        }
        assertThat(n).isGreaterThanOrEqualTo(6);
    }

    @Test
    void lostLinesAreCountedAsTheVectorsSay() throws Exception {
        int n = 0;
        for (String v : vectors()) {
            if (!v.startsWith("lost ")) {
                continue;
            }
            String[] p = v.substring(5).split(" \\| ");
            RootLayout layout = new RootLayout(tmp.resolve("l" + n++));
            Files.createDirectories(layout.forwardDir());
            StringBuilder record = new StringBuilder();
            for (String e : items(p[1])) {
                String[] f = e.split("[ .]");
                record.append(RemovedFiles.encode(new RemovedFiles.Entry(boot(f[0]), Integer.parseInt(f[1]),
                        Long.parseLong(f[2]), 1000, Long.parseLong(f[3]))));
            }
            Files.writeString(layout.removedRecords("boot")[1], record);
            List<RemovedFiles.Entry> removed = RemovedFiles.read(layout, "boot").entries();
            List<CategoryStream.Seg> present = new ArrayList<>();
            for (String e : items(p[2])) {
                String[] f = e.split("[ .]");
                present.add(new CategoryStream.Seg(tmp.resolve(f[0] + "." + f[1]), boot(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]),
                        1_000_000, 0));
            }
            Map<String, Integer> order = Map.of(boot("A"), 0, boot("B"), 1, boot("C"), 2);
            List<CategoryStream.Seg> segs = CategoryStream.arrange(present, order, removed);
            String[] c = p[0].split(" ");
            long line = Long.parseLong(c[3]);
            ForwardCursor cursor = new ForwardCursor("00112233aabbccdd", 50, boot(c[0]), Integer.parseInt(c[1]),
                    Long.parseLong(c[2]), line * 10, line);
            CategoryStream.Position pos = CategoryStream.locate(segs, cursor, order, removed);
            String resume = pos.index() < segs.size() ? segs.get(pos.index()).path().getFileName().toString() : "-";
            assertThat("files=" + pos.lost().files() + " lines=" + pos.lost().lines() + " unrecorded=" + pos.lost().unrecorded()
                    + " resume=" + resume).as(v).isEqualTo(p[3]);
        }
        assertThat(n).isGreaterThanOrEqualTo(10);
    }

    private static List<String> items(String list) {
        return list.equals("-") ? List.of() : List.of(list.split(", "));
    }

    private static String boot(String letter) {
        return letter.toLowerCase().repeat(32);
    }
}
