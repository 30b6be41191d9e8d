package dev.rayos.machine.entries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BootEntryTest {
    @Test
    void anEntryWrittenIsReadBackWithTheSameKeysAndText() throws Exception {
        BootEntry e = BootEntry.of("RayOS", "rayos-1-normal", "/rayos/vmlinuz", "/rayos/initrd.img", "console=ttyS0 rayos.mode=normal");
        assertThat(e.text()).isEqualTo("title RayOS\nsort-key rayos-1-normal\nlinux /rayos/vmlinuz\n"
                + "initrd /rayos/initrd.img\noptions console=ttyS0 rayos.mode=normal\n");
        BootEntry back = BootEntry.parse(e.text());
        assertThat(back.text()).isEqualTo(e.text());
        assertThat(back.get("options")).isEqualTo("console=ttyS0 rayos.mode=normal");
        assertThat(back.get("devicetree")).isNull();
    }

    @Test
    void commentsBlankLinesAndUnknownKeysAreReadAsTheSpecAllows() throws Exception {
        BootEntry e = BootEntry.parse("# made by hand\n\n  title   Other OS  \nversion 6.1\nlinux /vmlinuz\r\ninitrd /a\ninitrd /b\n");
        assertThat(e.get("title")).isEqualTo("Other OS");
        assertThat(e.get("linux")).isEqualTo("/vmlinuz");
        assertThat(e.text()).isEqualTo("title Other OS\nversion 6.1\nlinux /vmlinuz\ninitrd /a\ninitrd /b\n");
    }

    @Test
    void textThatIsNotAnEntrySaysWhichLineIsWrong() {
        assertThatThrownBy(() -> BootEntry.parse("title x\n")).isInstanceOf(EntryException.class).hasMessageContaining("no 'linux'");
        assertThatThrownBy(() -> BootEntry.parse("linux /a\nTitle x\n")).isInstanceOf(EntryException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> BootEntry.parse("linux /a\n" + "x".repeat(70_000))).isInstanceOf(EntryException.class);
    }

    @Property(tries = 2000)
    void hostileTextAnswersEntryExceptionOrAnEntryThatRoundTrips(@ForAll("hostile") String text) {
        BootEntry e;
        try {
            e = BootEntry.parse(text);
        } catch (EntryException x) {
            assertThat(x.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        try {
            assertThat(BootEntry.parse(e.text()).text()).isEqualTo(e.text());
        } catch (EntryException x) {
            throw new AssertionError("an entry read back from its own text failed: " + x.getMessage(), x);
        }
    }

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.of("linux /vmlinuz", "title RayOS", "# c", "", "   ", "options a=b c", "efi /x.efi", "linux", "\r", "\u0085linux x",
                        "linux\u2028/x", "linux\u000b/x", "linux\u001c/x"),
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().withChars("az -#\t\r\0\u00a0\u2028").ofMaxLength(20));
        return Arbitraries.oneOf(line.list().ofMaxSize(12).map(l -> String.join("\n", l)),
                Arbitraries.strings().all().ofMaxLength(200));
    }
}
