package dev.rayos.cli;

import dev.rayos.harness.guest.GuestKit;
import dev.rayos.machine.image.GuestParts;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine;

/**
 * {@code rayos demo --vm}: the machine for real. Builds an image, boots it under QEMU (OVMF,
 * systemd-boot, TCG) and shows a good boot reaching {@code RAYOS_READY} and blessing its entry;
 * then an "update" that hangs is installed with fresh tries, the watchdog resets each try, and the
 * machine falls back to its recovery entry by itself; finally the data partition is read on the
 * host with the ordinary readers. About five minutes under TCG.
 */
final class VmDemo {
    private VmDemo() {}

    static int run(Path dir, PrintWriter out, PrintWriter err) throws IOException {
        String missing = GuestKit.qemuPresent() ? GuestParts.missing() : "qemu-system-x86_64 absent (run .ci/install-harness.sh)";
        if (missing.isEmpty() && !Files.isReadable(Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd"))) {
            missing = "no OVMF firmware (run .ci/install-machine.sh)";
        }
        if (!missing.isEmpty()) {
            throw new UserError("demo --vm needs QEMU and the image's parts: " + missing, 3);
        }
        Files.createDirectories(dir);
        Path update = dir.resolve("update.sh");
        Files.writeString(update, "#!/bin/sh\n"
                + "if [ -e /var/rayos/update-broken ]; then echo 'update: waiting for a lock that never frees'; while :; do sleep 60; done; fi\n"
                + "echo 'update: nothing to do'; exit 0\n");
        Path web = dir.resolve("web.sh");
        Files.writeString(web, "#!/bin/sh\necho 'web: listening on :8080'; echo READY; while :; do sleep 60; done\n");
        Path policy = dir.resolve("policy.conf");
        Files.writeString(policy, "boot.ready_timeout = 50\nboot.max_failures = 3\n");
        Path image = dir.resolve("rayos.img");
        step(out, "1. rayos image build: GPT, ESP with systemd-boot and a counted entry (rayos+3.conf), ext4 data");
        int rc = cli(out, err, "image", "build", "--out", image.toString(), "--size", "768M", "--policy", policy.toString(),
                "--component", "web=" + web + ":safe", "--component", "update=" + update);
        if (rc != 0) {
            return rc;
        }
        step(out, "2. rayos harness run: boot 1 reaches RAYOS_READY and blesses its entry; then an update that hangs is");
        step(out, "   installed with 2 fresh tries; the watchdog resets tries 2 and 3; boot 4 is the recovery entry");
        rc = cli(out, err, "--root", dir.resolve("host").toString(), "harness", "run", "--image", image.toString(), "--keep-disk",
                "--boots", "4", "--serial-log", dir.resolve("serial.log").toString(),
                "--expect", "1:RAYOS_BOOT_BLESSED@300s",
                "--send", "1:RAYOS_WATCHDOG_DISARMED=touch /var/rayos/update-broken && rayos boot-entries reset-tries --tries 2 && reboot",
                "--expect", "2:RAYOS_BOOT_WATCHDOG_EXPIRED@300s",
                "--expect", "3:RAYOS_BOOT_WATCHDOG_EXPIRED@300s",
                "--expect", "4:RAYOS_RECOVERY_READY@300s");
        if (rc != 0) {
            err.println("rayos demo: the run did not go as planned; the console is in " + dir.resolve("serial.log"));
            return rc;
        }
        Path host = dir.resolve("extracted");
        step(out, "3. rayos image extract: the machine's /var/rayos, read on the host");
        deleteTree(host); // the last run's copy; Files.walk does not follow symbolic links
        rc = cli(out, err, "image", "extract", image.toString(), "--to", host.toString());
        if (rc != 0) {
            return rc;
        }
        step(out, "$ rayos --root " + host + " boots");
        cli(out, err, "--root", host.toString(), "boots");
        step(out, "$ rayos boot-entries --image " + image + " list");
        cli(out, err, "boot-entries", "--image", image.toString(), "list");
        step(out, "$ rayos --root " + host + " logs -b -1 --level WARN   # the last failed try");
        cli(out, err, "--root", host.toString(), "logs", "-b", "-1", "--level", "WARN");
        step(out, "The machine fell back to recovery by itself. Read it again any time: rayos --root " + host + " boots");
        return 0;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }

    private static void step(PrintWriter out, String s) {
        out.println();
        out.println(s);
        out.flush();
    }

    private static int cli(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = RayosCommand.commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int rc = cl.execute(args);
        out.flush();
        err.flush();
        return rc;
    }

}
