package dev.rayos.recovery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code qemu-img}: internal snapshots of a qcow2 disk are listed and deleted through it,
 * never by editing the file ourselves. A disk a running QEMU holds is refused by qemu-img's own
 * image lock, and we never pass {@code -U} to get around it.
 */
final class QemuImg {
    /** A qemu-img run that failed, with its first line of complaint. */
    static final class QemuImgException extends IOException {
        QemuImgException(String message) {
            super(message);
        }
    }

    private final String program;

    QemuImg(String program) {
        this.program = program;
    }

    static QemuImg fromPath() {
        return new QemuImg(System.getProperty("rayos.qemuImg", "qemu-img"));
    }

    List<SnapshotList.Snapshot> snapshots(Path qcow2) throws IOException {
        String out = run("snapshot", "-l", qcow2.toString());
        try {
            return SnapshotList.parse(out);
        } catch (SnapshotList.SnapshotListException e) {
            throw new QemuImgException("qemu-img snapshot -l " + qcow2.getFileName() + ": " + e.getMessage());
        }
    }

    void deleteSnapshot(Path qcow2, String tag) throws IOException {
        run("snapshot", "-d", tag, qcow2.toString());
    }

    /** {@code qemu-img check}: null when clean, else its complaint. */
    String check(Path disk, String format) throws IOException {
        try {
            run("check", "-f", format, disk.toString());
            return null;
        } catch (QemuImgException e) {
            return e.getMessage();
        }
    }

    private String run(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(program);
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new QemuImgException("cannot run " + program + " (install qemu-utils): " + e.getMessage());
        }
        p.getOutputStream().close();
        String out = readAll(p.getInputStream());
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new QemuImgException(program + " " + args[0] + " did not finish in 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new QemuImgException("interrupted");
        }
        if (p.exitValue() != 0) {
            String first = out.strip();
            int nl = first.indexOf('\n');
            throw new QemuImgException(program + " " + String.join(" ", args.length > 1 ? List.of(args[0], args[1]) : List.of(args[0]))
                    + " exited " + p.exitValue() + ": " + (nl < 0 ? first : first.substring(0, nl)));
        }
        return out;
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (b.size() < 16 << 20) {
                b.write(buf, 0, n);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
