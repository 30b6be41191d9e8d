package dev.rayos.log.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.BootId;
import dev.rayos.log.line.Timestamp;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash text at its edges: lines at the reader's cap, NUL characters, the control characters a
 * report escapes, the most lines a report may have, the order reports are listed in.
 */
class CrashTextEdgesTest {
    static final BootId A = BootId.parse("0123456789abcdef0123456789abcdef");
    static final BootId B = BootId.parse("fedcba9876543210fedcba9876543210");

    @TempDir
    Path dir;

    @Test
    void aLineIsReadUpToTheCapAndALongerOneIsCutAndSaysSo() throws Exception {
        BoundedLineReader r = new BoundedLineReader(new StringReader("abc\nabcd\nab\0c\r\nx\r\r\n"), 3);
        assertThat(r.readLine()).isEqualTo("abc");
        assertThat(r.lastWasTruncated()).as("exactly the cap").isFalse();
        assertThat(r.readLine()).isEqualTo("abc");
        assertThat(r.lastWasTruncated()).isTrue();
        assertThat(r.readLine()).as("a NUL is a character, not the end of the text").isEqualTo("ab\0");
        assertThat(r.lineNumber()).isEqualTo(3);
        assertThat(r.readLine()).isEqualTo("x");
        assertThat(r.readLine()).as("a CR alone ends a line too").isEqualTo("");
        assertThat(r.readLine()).isNull();
        BoundedLineReader one = new BoundedLineReader(new StringReader("ab\n"), 1);
        assertThat(one.readLine()).isEqualTo("a");
        assertThatThrownBy(() -> new BoundedLineReader(new StringReader(""), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void controlCharactersInAReportAreEscapedAndTheirNeighboursAreNot() throws Exception {
        String reason = "a\u001fb\u0020c\u007ed\u007fe\u009ff\u00a0g\th";
        CrashReport r = CrashReport.builder(A, Timestamp.mono(1), CrashReport.Source.RAYOS, "panic")
                .excerpt(List.of(reason)).build();
        String text = CrashReportFormat.format(r);
        assertThat(text).contains("a\\x1fb c~d\\x7fe\\x9ff\u00a0g\th");
        assertThat(CrashReportFormat.parse(text).excerpt()).containsExactly(reason);
    }

    @Test
    void aReportOfTheMostLinesAllowedIsReadAndOneLineMoreIsRefused() throws Exception {
        CrashReport r = CrashReport.builder(A, Timestamp.mono(1), CrashReport.Source.RAYOS, "panic").build();
        String head = CrashReportFormat.format(r);
        int headLines = (int) head.lines().count();
        StringBuilder most = new StringBuilder(head);
        if (!head.contains("\n[excerpt]\n")) {
            most.append("[excerpt]\n");
        }
        int have = (int) most.toString().lines().count();
        for (int i = have; i < CrashReportFormat.MAX_LINES; i++) {
            most.append("l\n");
        }
        assertThat(CrashReportFormat.parse(most.toString()).excerpt()).hasSize(CrashReportFormat.MAX_LINES - have);
        assertThat(headLines).isPositive();
        assertThatThrownBy(() -> CrashReportFormat.parse(most + "l\n")).isInstanceOf(CrashParseException.class)
                .hasMessageContaining(String.valueOf(CrashReportFormat.MAX_LINES));
    }

    @Test
    void aProblemOfTheWholeTextNamesNoLine() {
        assertThat(new CrashParseException("empty file", 0)).hasMessage("empty file");
        assertThat(new CrashParseException("bad key", 1)).hasMessage("line 1: bad key");
    }

    @Test
    void reportsAreListedByBootThenInTheOrderTheyWereWritten() throws Exception {
        for (String name : new String[] {B.hex() + ".log", A.hex() + ".10.log", A.hex() + ".2.log", A.hex() + ".log",
                "notes.txt"}) {
            Files.writeString(dir.resolve(name), "x\n");
        }
        assertThat(CrashReportFiles.list(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly(A.hex() + ".log", A.hex() + ".2.log", A.hex() + ".10.log", B.hex() + ".log");
    }
}
