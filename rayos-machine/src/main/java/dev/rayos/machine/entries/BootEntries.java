package dev.rayos.machine.entries;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * RayOS's boot entries on an ESP, as {@code bootctl} sees them: list, bless, reset tries, and
 * restore from the image's known-good copy. Boot counting is systemd-boot's (Automatic Boot
 * Assessment): the firmware side decrements {@code +LEFT-DONE} in the file name before each try;
 * RayOS only blesses (renames to the counter-free name) once the boot reached {@code RAYOS_READY}.
 *
 * <p>Every change is one rename or one atomic write, so an entry file is never half-renamed or
 * half-written (on a mounted ESP; see {@link DirectoryEsp}).
 */
public final class BootEntries {
    /** The base names of the three entries an image installs. */
    public static final String NORMAL = "rayos";
    public static final String SAFE = "rayos-safe";
    public static final String RECOVERY = "rayos-recovery";

    /** One entry file on the ESP: its name, and its text when it could be read. */
    public record Listed(EntryName name, BootEntry entry, String problem) {
        public String title() {
            return entry == null || entry.get("title") == null ? "" : entry.get("title");
        }
    }

    private final Esp esp;

    public BootEntries(Esp esp) {
        this.esp = esp;
    }

    public Esp esp() {
        return esp;
    }

    /** Every {@code .conf} file under {@code loader/entries}, sorted by name. */
    public List<Listed> list() throws EntryException {
        List<Listed> out = new ArrayList<>();
        for (String f : esp.list(Esp.ENTRIES)) {
            Optional<EntryName> n = EntryName.parse(f);
            if (n.isEmpty()) {
                continue;
            }
            Optional<byte[]> text = esp.read(Esp.ENTRIES + "/" + f);
            BootEntry e = null;
            String problem = null;
            try {
                e = BootEntry.parse(new String(text.orElse(new byte[0]), StandardCharsets.UTF_8));
            } catch (EntryException x) {
                problem = x.getMessage();
            }
            out.add(new Listed(n.get(), e, problem));
        }
        return out;
    }

    /**
     * Finds the entry a person means: {@code normal}, {@code safe}, {@code recovery}, a base name
     * ({@code rayos-safe}), an id ({@code rayos-safe.conf}) or a file name with counter.
     */
    public Listed find(String query) throws EntryException {
        String q = query.toLowerCase(Locale.ROOT).strip();
        String base = switch (q) {
            case "normal" -> NORMAL;
            case "safe" -> SAFE;
            case "recovery" -> RECOVERY;
            default -> EntryName.parse(q.endsWith(EntryName.SUFFIX) ? q : q + EntryName.SUFFIX).map(EntryName::base).orElse(null);
        };
        List<Listed> all = list();
        for (Listed l : all) {
            if (l.name().base().equals(base)) {
                return l;
            }
        }
        List<String> names = new ArrayList<>();
        all.forEach(l -> names.add(l.name().file()));
        throw new EntryException("no boot entry '" + BootEntry.printable(query) + "' on " + esp.describe()
                + (names.isEmpty() ? " (it has no entries)" : " (entries: " + String.join(", ", names) + ")"));
    }

    /**
     * Marks an entry good: renames {@code rayos+1-2.conf} to {@code rayos.conf}.
     *
     * @return the entry as it is now; unchanged when it was not counted
     */
    public EntryName bless(String query) throws EntryException {
        EntryName n = find(query).name();
        if (!n.counted()) {
            return n;
        }
        EntryName good = new EntryName(n.base(), -1, -1);
        esp.rename(Esp.ENTRIES + "/" + n.file(), Esp.ENTRIES + "/" + good.file());
        return good;
    }

    /** Gives an entry {@code tries} fresh tries: {@code rayos+0-3.conf} or {@code rayos.conf} becomes {@code rayos+3.conf}. */
    public EntryName resetTries(String query, int tries) throws EntryException {
        if (tries < 1 || tries > 9) {
            throw new EntryException("tries must be 1..9, not " + tries);
        }
        EntryName n = find(query).name();
        EntryName fresh = EntryName.counted(n.base(), tries);
        if (!fresh.file().equals(n.file())) {
            esp.rename(Esp.ENTRIES + "/" + n.file(), Esp.ENTRIES + "/" + fresh.file());
        }
        return fresh;
    }

    /** Makes the next boot, once, start {@code query} ({@code LoaderEntryOneShot}, as bootctl set-oneshot). */
    public EntryName oneshot(String query, EfiVars vars) throws EntryException {
        EntryName n = find(query).name();
        // systemd-boot 252 matches the id, which is the file name as it stands (counter included)
        vars.set("LoaderEntryOneShot", n.file());
        return n;
    }

    /**
     * The image's known-good copy of the ESP's loader files: {@code loader/loader.conf} and
     * {@code loader/entries/*.conf} under {@code factory}, as the image was built (the normal entry
     * with its full tries).
     */
    public static List<String> factoryFiles(Path factory) throws EntryException {
        List<String> out = new ArrayList<>();
        if (Files.isRegularFile(factory.resolve(Esp.LOADER_CONF), LinkOption.NOFOLLOW_LINKS)) {
            out.add(Esp.LOADER_CONF);
        }
        Path ent = factory.resolve(Esp.ENTRIES);
        if (Files.isDirectory(ent, LinkOption.NOFOLLOW_LINKS)) {
            try (var s = Files.list(ent)) {
                s.map(p -> p.getFileName().toString()).filter(f -> EntryName.parse(f).isPresent()).sorted()
                        .forEach(f -> out.add(Esp.ENTRIES + "/" + f));
            } catch (java.io.IOException e) {
                throw new EntryException("cannot read the known-good entries at " + factory + ": " + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            throw new EntryException("no known-good boot entries at " + factory);
        }
        return out;
    }

    /**
     * What {@link #restore} would change, one line each; empty when the ESP matches the known-good
     * copy (an entry blessed or counting down counts as matching: only missing, unreadable, differing
     * or bad entries, and a missing or differing loader.conf, are repaired).
     */
    public List<String> check(Path factory) throws EntryException {
        List<String> changes = new ArrayList<>();
        List<Listed> now = list();
        for (String f : factoryFiles(factory)) {
            byte[] want = read(factory.resolve(f));
            if (f.equals(Esp.LOADER_CONF)) {
                Optional<byte[]> have = esp.read(f);
                if (have.isEmpty()) {
                    changes.add("restore " + f + " (missing)");
                } else if (!java.util.Arrays.equals(have.get(), want)) {
                    changes.add("restore " + f + " (differs from the image's)");
                }
                continue;
            }
            EntryName fn = EntryName.parse(f.substring(Esp.ENTRIES.length() + 1)).orElseThrow();
            Listed cur = now.stream().filter(l -> l.name().base().equals(fn.base())).findFirst().orElse(null);
            if (cur == null) {
                changes.add("restore " + f + " (missing)");
            } else if (cur.entry() == null) {
                changes.add("restore " + f + " (" + cur.name().file() + " unreadable: " + cur.problem() + ")");
            } else if ("bad".equals(cur.name().state())) {
                changes.add("restore " + f + " (" + cur.name().file() + " has no tries left)");
            } else if (!cur.entry().text().equals(parsed(want, f).text())) {
                changes.add("restore " + f + " (" + cur.name().file() + " differs from the image's)");
            }
        }
        return changes;
    }

    /**
     * Puts the known-good loader files back where {@link #check} found them wrong (or all of them
     * with {@code all}), each entry with its full tries; other entries of the same base are removed.
     *
     * @return the changes made, one line each
     */
    public List<String> restore(Path factory, boolean all) throws EntryException {
        List<String> changes = all ? new ArrayList<>() : check(factory);
        List<String> files = factoryFiles(factory);
        for (String f : files) {
            boolean needed = all || changes.stream().anyMatch(c -> c.startsWith("restore " + f + " "));
            if (!needed) {
                continue;
            }
            byte[] want = read(factory.resolve(f));
            esp.mkdirs(f.substring(0, f.lastIndexOf('/')));
            if (!f.equals(Esp.LOADER_CONF)) {
                EntryName fn = EntryName.parse(f.substring(Esp.ENTRIES.length() + 1)).orElseThrow();
                for (Listed l : list()) {
                    if (l.name().base().equals(fn.base()) && !l.name().file().equals(fn.file())) {
                        esp.delete(Esp.ENTRIES + "/" + l.name().file());
                    }
                }
            }
            esp.write(f, want);
            if (all) {
                changes.add("restore " + f);
            }
        }
        return changes;
    }

    private static BootEntry parsed(byte[] b, String f) throws EntryException {
        try {
            return BootEntry.parse(new String(b, StandardCharsets.UTF_8));
        } catch (EntryException e) {
            throw new EntryException("the known-good " + f + " is itself unreadable: " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path p) throws EntryException {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new EntryException("cannot read the known-good " + p + ": " + e.getMessage(), e);
        }
    }
}
