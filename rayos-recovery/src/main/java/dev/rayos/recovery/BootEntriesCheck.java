package dev.rayos.recovery;

import dev.rayos.machine.agent.MachinePaths;
import dev.rayos.machine.entries.BootEntries;
import dev.rayos.machine.entries.DirectoryEsp;
import dev.rayos.machine.entries.EntryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The boot entries on the ESP ({@code <root>/efi}): a missing or differing {@code loader.conf}, a
 * missing, unreadable or bad entry (no tries left) is put back from the image's known-good copy
 * ({@code <root>/usr/lib/rayos/esp}, {@code docs/boot-and-recovery.md}) with its full tries. An
 * entry that cannot be read is quarantined first, not deleted. Without an ESP or a known-good
 * copy (a machine in a directory) the check says so and changes nothing.
 */
final class BootEntriesCheck implements Check {
    @Override
    public String name() {
        return "boot-entries";
    }

    @Override
    public void run(RepairContext ctx) throws IOException {
        MachinePaths machine = new MachinePaths(ctx.layout().root());
        Path espDir = machine.esp();
        Path factory = machine.factoryEsp();
        if (!Files.isDirectory(espDir, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(factory, LinkOption.NOFOLLOW_LINKS)) {
            ctx.note("boot entries not checked: " + (Files.isDirectory(espDir) ? "no known-good copy at " + ctx.layout().relative(factory)
                    : "no ESP at " + ctx.layout().relative(espDir)));
            return;
        }
        try {
            BootEntries entries = new BootEntries(new DirectoryEsp(espDir));
            List<String> wrong = entries.check(factory); // as found: a dry run and a real run say the same
            for (BootEntries.Listed l : entries.list()) {
                if (l.entry() == null) {
                    ctx.quarantine(espDir.resolve("loader/entries").resolve(l.name().file()), "unreadable entry: " + l.problem());
                }
            }
            for (String change : wrong) {
                String path = "efi/" + change.substring("restore ".length(), change.indexOf(' ', "restore ".length()));
                ctx.change("restore-entry", path, change, () -> {
                    try {
                        entries.restore(factory, false);
                    } catch (EntryException e) {
                        throw new IOException(e.getMessage(), e);
                    }
                });
            }
        } catch (EntryException e) {
            ctx.unresolved("boot entries: " + e.getMessage());
        }
    }
}
