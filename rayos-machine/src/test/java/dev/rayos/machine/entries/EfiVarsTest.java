package dev.rayos.machine.entries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EfiVarsTest {
    @TempDir
    Path dir;

    @Test
    void aVariableIsWrittenAsAttributesThenNulTerminatedUtf16le() throws Exception {
        EfiVars v = new EfiVars(dir);
        v.set("LoaderEntryOneShot", "rayos-safe.conf");
        Path f = dir.resolve("LoaderEntryOneShot-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f");
        byte[] b = Files.readAllBytes(f);
        assertThat(b).startsWith(7, 0, 0, 0);
        assertThat(b).hasSize(4 + 2 * "rayos-safe.conf".length() + 2);
        assertThat(b[4]).isEqualTo((byte) 'r');
        assertThat(b[5]).isZero();
        assertThat(b[b.length - 2]).isZero();
        assertThat(b[b.length - 1]).isZero();
        assertThat(v.get("LoaderEntryOneShot")).contains("rayos-safe.conf");
    }

    @Test
    void aVariableAsTheFirmwareWritesItIsReadUpToItsNul() throws Exception {
        // systemd-boot writes LoaderEntrySelected with attributes 0x6 (volatile) and a trailing NUL
        byte[] s = "rayos+2-1.conf".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        byte[] raw = new byte[4 + s.length + 2];
        raw[0] = 6;
        System.arraycopy(s, 0, raw, 4, s.length);
        Files.write(dir.resolve("LoaderEntrySelected-" + EfiVars.LOADER_GUID), raw);
        assertThat(new EfiVars(dir).get("LoaderEntrySelected")).contains("rayos+2-1.conf");
    }

    @Test
    void anUnsetVariableIsEmptyAndDeletingItAgainIsHarmless() throws Exception {
        EfiVars v = new EfiVars(dir);
        assertThat(v.get("LoaderEntrySelected")).isEmpty();
        v.set("LoaderEntryOneShot", "x.conf");
        v.delete("LoaderEntryOneShot");
        v.delete("LoaderEntryOneShot");
        assertThat(v.get("LoaderEntryOneShot")).isEmpty();
    }

    @Test
    void namesThatCouldLeaveTheDirectoryAreRefused() {
        EfiVars v = new EfiVars(dir);
        for (String n : new String[] {"../x", "a/b", "", "1abc", "a-b", "a\0b", "x".repeat(65)}) {
            assertThatThrownBy(() -> v.set(n, "x")).as(n).isInstanceOf(EntryException.class).hasMessageContaining("not a variable name");
            assertThatThrownBy(() -> v.get(n)).as(n).isInstanceOf(EntryException.class);
        }
        assertThat(dir.getParent().resolve("x-" + EfiVars.LOADER_GUID)).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void valuesThatCannotBeStoredAreRefusedAndWithoutEfivarfsSettingSaysSo() {
        EfiVars v = new EfiVars(dir);
        assertThatThrownBy(() -> v.set("A", "")).isInstanceOf(EntryException.class);
        assertThatThrownBy(() -> v.set("A", "a\0b")).isInstanceOf(EntryException.class);
        assertThatThrownBy(() -> v.set("A", "x".repeat(513))).isInstanceOf(EntryException.class);
        assertThatThrownBy(() -> v.set("A", "a\ud800b")).isInstanceOf(EntryException.class).hasMessageContaining("not valid UTF-16");
        assertThatThrownBy(() -> new EfiVars(dir.resolve("absent")).set("A", "x"))
                .isInstanceOf(EntryException.class).hasMessageContaining("is efivarfs mounted");
    }

    @Property(tries = 2000)
    void encodedStringsDecodeToThemselves(@ForAll("values") String s) throws Exception {
        assertThat(EfiVars.decode(EfiVars.encode(s))).isEqualTo(s);
    }

    @Property(tries = 3000)
    void hostileVariableBytesAnswerEntryExceptionOnly(@ForAll("bytes") byte[] raw) throws Exception {
        Path d = Files.createTempDirectory("efivars");
        try {
            Files.write(d.resolve("LoaderEntrySelected-" + EfiVars.LOADER_GUID), raw);
            try {
                String s = new EfiVars(d).get("LoaderEntrySelected").orElseThrow();
                assertThat(s).doesNotContain("\0");
            } catch (EntryException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        } finally {
            try (var s = Files.list(d)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(d);
        }
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().all().ofMinLength(1).ofMaxLength(100).filter(s -> s.indexOf('\0') < 0)
                .filter(s -> s.codePoints().noneMatch(c -> c >= 0xd800 && c <= 0xdfff)); // lone surrogates: refused, tested above
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(1100);
    }
}
