package dev.rayos.bridges.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vectors of docs/bridges-forward-vectors.txt: cursor files read and refused, lines framed. */
class ForwardVectorsTest {
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
}
