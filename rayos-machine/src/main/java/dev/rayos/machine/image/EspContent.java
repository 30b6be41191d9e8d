package dev.rayos.machine.image;

import dev.rayos.machine.entries.BootEntries;
import dev.rayos.machine.entries.BootEntry;
import dev.rayos.machine.entries.EntryName;
import dev.rayos.machine.entries.Esp;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loader files an image installs on its ESP (and keeps a known-good copy of in the initramfs
 * at {@code /usr/lib/rayos/esp}, for repair and factory reset): {@code loader/loader.conf} and the
 * three entries.
 *
 * <p>Why the sort keys: systemd-boot 252 picks the first entry, in sort order, whose id matches
 * {@code default rayos*}, and sorts entries with no tries left to the end. With the normal entry
 * first and recovery second, a normal entry that used all its tries falls back to recovery, never
 * to safe mode; safe mode is chosen only on purpose ({@code oneshot safe}, or the menu).
 */
public final class EspContent {
    /** Where the kernel and initramfs live on the ESP. */
    static final String KERNEL = "rayos/vmlinuz";
    static final String INITRD = "rayos/initrd.img";
    /** Where the initramfs keeps the known-good copy of the loader files, relative to the root. */
    public static final String FACTORY = "usr/lib/rayos/esp";

    private EspContent() {}

    static String loaderConf() {
        return "timeout 0\ndefault rayos*\neditor no\n";
    }

    /** The loader files, ESP path to bytes; the normal entry counted with {@code tries}. */
    public static Map<String, byte[]> files(int tries, String extraOptions) {
        // no_timer_check: under a loaded TCG host the kernel's IO-APIC timer test can fail and panic at
        // 0.04 s ("IO-APIC + timer doesn't work"), seen here; virtual machines skip it
        String base = "console=tty1 console=ttyS0,115200 panic=-1 no_timer_check" + (extraOptions.isEmpty() ? "" : " " + extraOptions);
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put(Esp.LOADER_CONF, bytes(loaderConf()));
        m.put(Esp.ENTRIES + "/" + EntryName.counted(BootEntries.NORMAL, tries).file(),
                entry("RayOS", "rayos-1-normal", base + " rayos.mode=normal"));
        m.put(Esp.ENTRIES + "/" + BootEntries.RECOVERY + EntryName.SUFFIX,
                entry("RayOS recovery", "rayos-2-recovery", base + " rayos.mode=recovery"));
        m.put(Esp.ENTRIES + "/" + BootEntries.SAFE + EntryName.SUFFIX,
                entry("RayOS (safe mode)", "rayos-3-safe", base + " rayos.mode=safe"));
        return m;
    }

    private static byte[] entry(String title, String sortKey, String options) {
        return bytes(BootEntry.of(title, sortKey, "/" + KERNEL, "/" + INITRD, options).text());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
