package dev.rayos.log.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rayos.log.root.BootId;
import dev.rayos.log.line.Timestamp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CrashReportFormatTest {
    static final BootId BOOT = BootId.parse("0123456789abcdef0123456789abcdef");
    static final Timestamp T = Timestamp.utc(1_795_770_858_000_000_000L);

    static Stream<String> validVectors() throws IOException {
        return names("valid");
    }

    static Stream<String> invalidVectors() throws IOException {
        return names("invalid");
    }

    private static Stream<String> names(String dir) throws IOException {
        try (Stream<Path> files = Files.list(Vectors.path(dir))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().collect(Collectors.toList()).stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validVectors")
    void everyValidVectorReadsWithTheExpectedFields(String name) throws Exception {
        CrashReport r = CrashReportFiles.read(Vectors.path("valid/" + name + ".log"));
        Map<String, String> expect = ReportExpectations.read(Vectors.path("valid/" + name + ".expect"));

        ReportExpectations.assertReport(r, expect, Set.of("canonical"));
        // whatever a reader accepts, the writer writes back so that it reads equal
        assertThat(CrashReportFormat.parse(CrashReportFormat.format(r))).isEqualTo(r);
        if (!"false".equals(expect.get("canonical"))) {
            assertThat(CrashReportFormat.format(r)).isEqualTo(Vectors.text("valid/" + name + ".log"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidVectors")
    void everyInvalidVectorIsRefusedAtItsLineSayingWhy(String name) throws Exception {
        Map<String, String> expect = ReportExpectations.read(Vectors.path("invalid/" + name + ".error"));

        CrashParseException e = catchThrowableOfType(
                () -> CrashReportFiles.read(Vectors.path("invalid/" + name + ".log")), CrashParseException.class);

        assertThat(e).as("refused").isNotNull();
        assertThat(e.line()).isEqualTo(Long.parseLong(expect.get("line")));
        assertThat(e.getMessage()).startsWith("line " + expect.get("line") + ": ").contains(expect.get("contains"));
        assertThat(e.getMessage()).doesNotContain("\n");
    }

    @Test
    void ingestingTheRealCaptureGivesTheVectorReportByteForByte() throws Exception {
        KernelCrash k = KernelCrashScanner.scan(Vectors.path("kernel/linux-6.1-sysrq-panic.serial.log")).get(0);

        CrashReport r = k.report(BOOT, T).version("0.1.0").buildId("6507cac")
                .attribute("origin", "kernel/linux-6.1-sysrq-panic.serial.log").build();

        assertThat(CrashReportFormat.format(r)).isEqualTo(Vectors.text("valid/kernel-sysrq-panic.log"));
    }

    @Test
    void readingTheRealHsErrVectorGivesTheVectorReportByteForByte() throws Exception {
        JvmCrash j = HsErrReader.read(Vectors.path("jvm/hs_err-17.0.15-sigsegv.log"));

        CrashReport r = j.report(BOOT, T).version("0.1.0").attribute("origin", "jvm/hs_err-17.0.15-sigsegv.log").build();

        assertThat(CrashReportFormat.format(r)).isEqualTo(Vectors.text("valid/jvm-sigsegv.log"));
    }

    @Test
    void valuesWithLineBreaksBackslashesAndHeadingLookalikesComeBackUnchanged() throws Exception {
        CrashReport r = CrashReport.builder(BOOT, Timestamp.mono(42), CrashReport.Source.RAYOS,
                        "two\nlines\r\\ and \u2028 and \u0085 and \u0000")
                .attribute("detail", "[stack]")
                .register("RAX", "0x1\n")
                .stack(List.of("[stack]", "\\[stack]", "", "\tat x", "[registers] not a heading"))
                .lastLines(List.of("[last_lines]", "é中😀"))
                .build();

        String text = CrashReportFormat.format(r);

        assertThat(text.lines()).allSatisfy(l -> assertThat(l).doesNotContain("\r", "\u2028", "\u0085"));
        assertThat(text).contains("\n\\[stack]\n", "\n\\\\[stack]\n", "\n\tat x\n");
        assertThat(CrashReportFormat.parse(text)).isEqualTo(r);
    }

    @Test
    void aReportIsGrepFriendly() {
        String text = CrashReportFormat.format(CrashReport.builder(BOOT, T, CrashReport.Source.KERNEL, "Oops")
                .faultAddress("0xDEADBEEF").errorCode("0x2").register("RIP", "0xffff").build());

        assertThat(text).startsWith(CrashReportFormat.MAGIC + "\n")
                .contains("\nboot_id=" + BOOT.hex() + "\n", "\nfault_address=0xdeadbeef\n", "\nerror_code=0x2\n",
                        "\n[registers]\nRIP=0xffff\n");
    }

    @Test
    void theBuilderRefusesValuesTheReaderWouldRefuse() {
        CrashReport.Builder b = CrashReport.builder(BOOT, T, CrashReport.Source.JVM, "x");
        assertThatThrownBy(() -> b.faultAddress("deadbeef")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.errorCode("0x12345678901234567")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.attribute("reason", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.attribute("Bad-Key", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.register("R 8", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CrashReport.builder(BOOT, T, CrashReport.Source.JVM, " "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTooLongLineIsRefusedWithoutReadingItAll() {
        String text = CrashReportFormat.MAGIC + "\nreason=" + "x".repeat(CrashReportFormat.MAX_LINE_CHARS + 10) + "\n";

        assertThatThrownBy(() -> CrashReportFormat.parse(text))
                .isInstanceOf(CrashParseException.class).hasMessage("line 2: line longer than 65536 characters");
    }

    @Test
    void crlfLineEndsReadLikeLf() throws Exception {
        String lf = Vectors.text("valid/rayos-minimal.log");

        assertThat(CrashReportFormat.parse(lf.replace("\n", "\r\n"))).isEqualTo(CrashReportFormat.parse(lf));
        assertThat(lf.getBytes(StandardCharsets.UTF_8)).doesNotContain((byte) '\r');
    }
}
