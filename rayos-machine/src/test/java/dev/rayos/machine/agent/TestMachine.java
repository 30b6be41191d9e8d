package dev.rayos.machine.agent;

import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import dev.rayos.machine.entries.EfiVars;
import dev.rayos.machine.image.EspFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A machine root laid out as the image lays out its guest, with the agent run on it in a child JVM. */
final class TestMachine {
    final Path root;
    final RootLayout layout;
    private final List<Process> agents = new ArrayList<>();

    TestMachine(Path root) throws IOException {
        this.root = root;
        this.layout = new RootLayout(root);
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/cmdline"), "console=ttyS0 panic=-1 rayos.mode=normal\n");
        Files.writeString(root.resolve("proc/sysrq-trigger"), "");
        EspFixture.layOut(root.resolve("efi"), 3);
        Files.createDirectories(root.resolve("sys/firmware/efi/efivars"));
    }

    TestMachine mode(String mode) throws IOException {
        Files.writeString(root.resolve("proc/cmdline"), "console=ttyS0 panic=-1 rayos.mode=" + mode + "\n");
        return this;
    }

    TestMachine policy(String text) throws IOException {
        Files.createDirectories(layout.policyFile().getParent());
        Files.writeString(layout.policyFile(), text);
        return this;
    }

    /** The boot manager started {@code selected}; the ESP now holds {@code onEsp} (its try taken). */
    TestMachine bootManagerStarted(String selected, String onEsp) throws Exception {
        new EfiVars(root.resolve("sys/firmware/efi/efivars")).set("LoaderEntrySelected", selected);
        Path e = root.resolve("efi/loader/entries");
        try (Stream<Path> s = Files.list(e)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("rayos+")).toList()) {
                Files.move(p, e.resolve(onEsp));
            }
        }
        return this;
    }

    /** Components as {@code NAME normal|safe} lines, each a shell script body. */
    TestMachine component(String name, boolean safe, String script) throws IOException {
        Path list = root.resolve(Component.LIST);
        Files.createDirectories(list.getParent());
        String old = Files.exists(list) ? Files.readString(list) : "";
        Files.writeString(list, old + new Component(name, safe).line() + "\n");
        Path exe = root.resolve(Component.DIR).resolve(name);
        Files.createDirectories(exe.getParent());
        Files.writeString(exe, "#!/bin/sh\necho \"$RAYOS_MODE\" > \"$RAYOS_ROOT/ran-$RAYOS_COMPONENT\"\n" + script + "\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        return this;
    }

    TestMachine noComponents() throws IOException {
        Files.deleteIfExists(root.resolve(Component.LIST));
        return this;
    }

    Process boot() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                AgentMain.class.getName(), root.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(root.resolve("agent-" + agents.size() + ".out").toFile())
                .start();
        agents.add(p);
        return p;
    }

    Boots boots() {
        return new Boots(layout, LogClock.system());
    }

    BootRecord current() throws Exception {
        BootId id = boots().current().orElseThrow();
        return boots().read(id);
    }

    /** Waits until the current boot's history satisfies {@code ok}. */
    BootRecord awaitCurrent(Predicate<BootRecord> ok, Process agent) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            try {
                if (boots().current().isPresent()) {
                    BootRecord r = current();
                    if (ok.test(r)) {
                        return r;
                    }
                }
            } catch (Exception e) {
                // the agent has not written it yet
            }
            if (!agent.isAlive()) {
                throw new AssertionError("the agent ended with " + agent.exitValue() + ": " + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the boot did not get there in 120 s: " + output());
    }

    String output() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < agents.size(); i++) {
            Path f = root.resolve("agent-" + i + ".out");
            if (Files.exists(f)) {
                b.append(Files.readString(f));
            }
        }
        return b.toString();
    }

    /** Every byte the machine's logging wrote (log files and rings), as text. */
    String logged() throws IOException {
        StringBuilder b = new StringBuilder();
        for (Path d : new Path[] {layout.logsDir(), layout.ringDir()}) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(d)) {
                for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                    b.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8).replace('\0', ' ')).append('\n');
                }
            }
        }
        return b.toString();
    }

    int exit(Process p) throws InterruptedException {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the agent did not end");
        }
        return p.exitValue();
    }

    /** Kills every agent still running and every component that wrote its pid (the test's own children). */
    void close() throws Exception {
        try (Stream<Path> s = Files.list(root)) {
            for (Path f : s.filter(f -> f.getFileName().toString().startsWith("pid-")).toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(f).strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        for (Process p : agents) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
