package dev.rayos.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a {@link RunResult} as JUnit XML (the Ant/Surefire schema CI systems read): one
 * {@code testsuite}, one {@code testcase} per expectation; an unmet one has a
 * {@code failure} whose type is the outcome, those never reached are {@code skipped}; the
 * console tail goes to {@code system-out}.
 */
public final class JUnitReport {
    /** How much console text goes into the report. */
    static final int CONSOLE_TAIL_CHARS = 64 * 1024;

    private JUnitReport() {}

    public static void write(RunResult r, String suiteName, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            long failures = r.expectations().stream().filter(e -> e.reached() && !e.met()).count();
            long skipped = r.expectations().stream().filter(e -> !e.reached()).count();
            x.writeStartElement("testsuite");
            x.writeAttribute("name", suiteName);
            x.writeAttribute("tests", Integer.toString(r.expectations().size()));
            x.writeAttribute("failures", Long.toString(failures));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", Long.toString(skipped));
            x.writeAttribute("time", seconds(r.durationMs()));
            x.writeCharacters("\n");
            x.writeStartElement("properties");
            property(x, "outcome", r.outcome().label());
            property(x, "exit_code", Integer.toString(r.outcome().exitCode()));
            property(x, "reason", clean(r.reason()));
            x.writeEndElement();
            x.writeCharacters("\n");
            for (RunResult.Result e : r.expectations()) {
                x.writeStartElement("testcase");
                x.writeAttribute("classname", suiteName);
                x.writeAttribute("name", "expect " + clean(e.expectation().marker()));
                x.writeAttribute("time", seconds(e.waitedMs()));
                if (!e.reached()) {
                    x.writeStartElement("skipped");
                    x.writeAttribute("message", "not reached: the run ended earlier (" + r.outcome().label() + ")");
                    x.writeEndElement();
                } else if (!e.met()) {
                    x.writeStartElement("failure");
                    x.writeAttribute("type", e.outcome().label());
                    x.writeAttribute("message", clean(e.outcome() == Outcome.TIMEOUT
                            ? e.expectation().marker() + " not seen within " + e.expectation().timeout().toMillis() + " ms"
                            : r.reason()));
                    x.writeEndElement();
                }
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            x.writeStartElement("system-out");
            String t = r.transcript();
            x.writeCData(clean(t.substring(Math.max(0, t.length() - CONSOLE_TAIL_CHARS))).replace("]]>", "]]]]><![CDATA[>"));
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write the JUnit report: " + e.getMessage(), e);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", value);
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.3f", ms / 1000.0);
    }

    /** Removes what XML 1.0 cannot hold (most control characters); guests print anything. */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0xD800) || (c >= 0xE000 && c < 0xFFFE)
                    || (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)));
            if (Character.isHighSurrogate(c) && ok) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(ok ? c : '\uFFFD');
            }
        }
        return b.toString();
    }
}
