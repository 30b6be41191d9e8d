package dev.rayos.recovery;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        Tool.Run r;
        try {
            r = Tool.run(cmd, 120, "qemu-utils");
        } catch (IOException e) {
            throw new QemuImgException(e.getMessage());
        }
        if (r.code() != 0) {
            throw new QemuImgException(program + " " + args[0] + (args.length > 1 ? " " + args[1] : "")
                    + " exited " + r.code() + ": " + r.firstLine());
        }
        return r.output();
    }
}
