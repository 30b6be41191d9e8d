package dev.rayos.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.rayos.machine.entries.BootEntries;
import dev.rayos.machine.entries.DirectoryEsp;
import dev.rayos.machine.entries.EfiVars;
import dev.rayos.machine.entries.EntryException;
import dev.rayos.machine.entries.EntryName;
import dev.rayos.machine.entries.Esp;
import dev.rayos.machine.entries.ImageEsp;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rayos boot-entries}: the machine's boot entries and their boot counting, as {@code bootctl}
 * shows and changes them, on a mounted ESP or (from the host) inside an image file.
 */
@Command(name = "boot-entries", mixinStandardHelpOptions = true,
        description = {"List and change the boot entries on the EFI system partition, the way bootctl does:",
            "a new normal entry is counted (rayos+3.conf); systemd-boot takes a try before each boot",
            "(rayos+2-1.conf, ...); the boot agent blesses it (rayos.conf) once RAYOS_READY is reached;",
            "an entry with no tries left is bad and the recovery entry boots instead."},
        footer = {"", "Examples:",
            "  rayos boot-entries list                       # the ESP at <root>/efi",
            "  rayos boot-entries --image rayos.img list     # from the host, inside an image",
            "  rayos boot-entries oneshot safe               # next boot only: safe mode (bootctl set-oneshot)",
            "  rayos boot-entries reset-tries normal         # fresh tries after a repair",
            "", "Exit codes: 0 done, 2 bad input, no such entry or a read-only ESP (nothing changed), 3 the ESP could not be changed."},
        subcommands = {BootEntriesCommand.ListEntries.class, BootEntriesCommand.Bless.class,
            BootEntriesCommand.ResetTries.class, BootEntriesCommand.Oneshot.class})
final class BootEntriesCommand implements Runnable {
    @ParentCommand
    RayosCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--esp", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The mounted EFI system partition (default: <root>/efi).")
    Path esp;

    @Option(names = "--image", paramLabel = "FILE", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "An image file: change the ESP inside it (host side; the image must not be running).")
    Path image;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    BootEntries entries() {
        try {
            if (esp != null && image != null) {
                throw new UserError("give --esp or --image, not both");
            }
            Esp e = image != null ? ImageEsp.of(image) : new DirectoryEsp(esp != null ? esp : parent.layout().root().resolve("efi"));
            return new BootEntries(e);
        } catch (EntryException e) {
            throw new UserError(e.getMessage());
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    static UserError failed(EntryException e) {
        String m = String.valueOf(e.getMessage());
        boolean input = m.startsWith("no boot entry") || m.startsWith("tries must") || m.contains("is not a path")
                || m.startsWith("no EFI variables") || m.contains("cannot be an EFI variable")
                || m.endsWith("the ESP is mounted read-only"); // issue 9: a read-only ESP is bad input, exit 2
        return new UserError(m, input ? RayosCommand.EXIT_USAGE : 3);
    }

    /** {@code list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the entries with their boot counting state.",
            footer = {"", "Examples:", "  rayos boot-entries list", "  rayos boot-entries --image rayos.img list -o json"})
    static final class ListEntries implements Callable<Integer> {
        @ParentCommand
        BootEntriesCommand be;
        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "short", description = "short or json.")
        String output;

        @Override
        public Integer call() throws IOException {
            if (!output.equals("short") && !output.equals("json")) {
                throw new UserError("-o must be short or json, not '" + output + "'");
            }
            List<BootEntries.Listed> all;
            try {
                all = be.entries().list();
            } catch (EntryException e) {
                throw failed(e);
            }
            PrintWriter out = be.out();
            if (output.equals("json")) {
                List<Object> rows = new ArrayList<>();
                for (BootEntries.Listed l : all) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("entry", l.name().file());
                    m.put("id", l.name().id());
                    m.put("title", l.title());
                    m.put("state", l.name().state());
                    m.put("tries_left", l.name().counted() ? l.name().left() : null);
                    m.put("tries_done", l.name().counted() ? Math.max(0, l.name().done()) : null);
                    m.put("problem", l.problem());
                    rows.add(m);
                }
                out.println(JSON.std.asString(rows));
            } else if (all.isEmpty()) {
                out.println("No boot entries on " + be.entries().esp().describe() + ".");
            } else {
                Table t = new Table("ENTRY", "TITLE", "STATE", "TRIES");
                for (BootEntries.Listed l : all) {
                    EntryName n = l.name();
                    String tries = n.counted() ? n.left() + " left, " + Math.max(0, n.done()) + " done" : "-";
                    t.row(n.file(), l.problem() != null ? "(unreadable: " + l.problem() + ")" : l.title(), n.state(), tries);
                }
                t.print(out);
            }
            out.flush();
            return 0;
        }
    }

    /** {@code bless}. */
    @Command(name = "bless", mixinStandardHelpOptions = true,
            description = "Mark an entry good: rename rayos+1-2.conf to rayos.conf (the agent does this after RAYOS_READY).",
            footer = {"", "Examples:", "  rayos boot-entries bless", "  rayos boot-entries --esp /efi bless rayos+1-2.conf"})
    static final class Bless implements Callable<Integer> {
        @ParentCommand
        BootEntriesCommand be;
        @Parameters(paramLabel = "ENTRY", defaultValue = "normal", description = "normal, safe, recovery, or a file name (default: ${DEFAULT-VALUE}).")
        String entry;

        @Override
        public Integer call() {
            try {
                EntryName n = be.entries().bless(entry);
                be.out().println(n.file());
                be.out().flush();
                return 0;
            } catch (EntryException e) {
                throw failed(e);
            }
        }
    }

    /** {@code reset-tries}. */
    @Command(name = "reset-tries", mixinStandardHelpOptions = true,
            description = "Give an entry fresh tries (rayos+0-3.conf or rayos.conf becomes rayos+3.conf).",
            footer = {"", "Examples:", "  rayos boot-entries reset-tries", "  rayos boot-entries --image rayos.img reset-tries --tries 2"})
    static final class ResetTries implements Callable<Integer> {
        @ParentCommand
        BootEntriesCommand be;
        @Parameters(paramLabel = "ENTRY", defaultValue = "normal", description = "The entry (default: ${DEFAULT-VALUE}).")
        String entry;
        @Option(names = "--tries", paramLabel = "N", description = "Tries (1..9; default: the policy's boot.max_failures).")
        Integer tries;

        @Override
        public Integer call() {
            int t = tries != null ? tries : dev.rayos.log.policy.Policy.load(be.parent.layout()).policy().boot().maxFailures();
            try {
                EntryName n = be.entries().resetTries(entry, t);
                be.out().println(n.file());
                be.out().flush();
                return 0;
            } catch (EntryException e) {
                throw failed(e);
            }
        }
    }

    /** {@code oneshot}. */
    @Command(name = "oneshot", mixinStandardHelpOptions = true,
            description = {"Boot ENTRY next time only (sets LoaderEntryOneShot, as 'bootctl set-oneshot' does).",
                "Needs the running machine's EFI variables (efivarfs)."},
            footer = {"", "Examples:", "  rayos boot-entries oneshot safe && reboot", "  rayos boot-entries oneshot recovery"})
    static final class Oneshot implements Callable<Integer> {
        @ParentCommand
        BootEntriesCommand be;
        @Parameters(paramLabel = "ENTRY", description = "normal, safe, recovery, or a file name.")
        String entry;
        @Option(names = "--efivars", paramLabel = "DIR", description = "efivarfs (default: <root>/sys/firmware/efi/efivars).")
        Path efivars;

        @Override
        public Integer call() {
            if (be.image != null) {
                throw new UserError("oneshot sets an EFI variable of a running machine; an image file has none (boot it, then run this inside)");
            }
            EfiVars vars = new EfiVars(efivars != null ? efivars : be.parent.layout().root().resolve("sys/firmware/efi/efivars"));
            try {
                EntryName n = be.entries().oneshot(entry, vars);
                be.out().println(n.file());
                be.out().flush();
                return 0;
            } catch (EntryException e) {
                throw failed(e);
            }
        }
    }
}
