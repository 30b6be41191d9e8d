package dev.rayos.log.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crash texts from public bug trackers, mailing lists and other projects' test data
 * ({@code docs/crash-report-vectors/real/}, each with its source in the {@code .expect} file):
 * each is read as {@code rayos crash ingest} reads it, and the report must say what a person
 * reading the text by eye sees in it.
 */
class RealCrashTextsTest {
    static Stream<String> samples() throws IOException {
        try (Stream<Path> files = Files.list(Vectors.path("real"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().collect(Collectors.toList()).stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void theReportOfARealCrashTextSaysWhatThePersonReadingItSees(String name) throws Exception {
        Path text = Vectors.path("real/" + name + ".txt");
        Map<String, String> expect = ReportExpectations.read(Vectors.path("real/" + name + ".expect"));
        assertThat(Files.readString(Vectors.path("real/" + name + ".expect")))
                .as("a sample names its source").contains("# source: ");

        CrashReport report;
        if (expect.get("reader").equals("kernel")) {
            List<KernelCrash> crashes = KernelCrashScanner.scan(text);
            assertThat(crashes).as("crashes").hasSize(Integer.parseInt(expect.get("crashes")));
            report = crashes.get(0).report(CrashReportFormatTest.BOOT, CrashReportFormatTest.T).build();
        } else {
            report = HsErrReader.read(text).report(CrashReportFormatTest.BOOT, CrashReportFormatTest.T).build();
        }

        ReportExpectations.assertReport(report, expect, Set.of("reader", "crashes"));
        // what was read is a report that can be written and read back
        assertThat(CrashReportFormat.parse(CrashReportFormat.format(report))).isEqualTo(report);
    }

    static Stream<String> kernelSamples() throws IOException {
        // the KASAN sample's other-CPU line and the other task's report in the two-tasks sample are told
        // apart only by their caller ids, which go with the timestamps
        return samples().filter(n -> !n.startsWith("hs_err") && !n.equals("x86-4.20-kasan-other-cpu-line")
                && !n.equals("arm64-6.1-two-tasks-fault-at-once"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernelSamples")
    void aKernelSampleReadsTheSameWithoutItsTimestampsAndWithCrLf(String name) throws Exception {
        String text = Files.readString(Vectors.path("real/" + name + ".txt"));
        String bare = text.lines().map(l -> l.replaceFirst("^\\[[ \\d.]{1,24}\\](?:\\[ {0,8}[TC]\\d{1,10}\\])? ?", ""))
                .collect(Collectors.joining("\r\n", "", "\r\n"));

        KernelCrash original = KernelCrashScanner.scan(new java.io.StringReader(text)).get(0);
        KernelCrash stripped = KernelCrashScanner.scan(new java.io.StringReader(bare)).get(0);

        assertThat(stripped).usingRecursiveComparison()
                .ignoringFields("uptime", "excerpt").isEqualTo(original);
    }
}
