package dev.rayos.log.child;

import dev.rayos.log.LogSystem;
import dev.rayos.log.Logger;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A child process for kill tests: logs from several threads until it is killed, and after each log
 * call returns stores the line's number in a mapped acknowledgement file (which outlives it), so the
 * parent knows which lines were acknowledged. Each line also says the number of another thread's
 * line that had been acknowledged before it was logged ({@code seen}): a cause, which the files
 * must hold before its effect. Each thread has a ring lane of its own.
 *
 * <p>Arguments: root, boot id, threads, acknowledgement file, mark-every (a marker line every N).
 */
public final class KilledWriter {
    private KilledWriter() {}

    public static void main(String[] args) throws Exception {
        RootLayout layout = new RootLayout(Path.of(args[0]));
        BootId boot = BootId.parse(args[1]);
        int threads = Integer.parseInt(args[2]);
        Path ackFile = Path.of(args[3]);
        int markEvery = Integer.parseInt(args[4]);
        MappedByteBuffer acks;
        try (FileChannel ch = FileChannel.open(ackFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            acks = ch.map(FileChannel.MapMode.READ_WRITE, 0, 8L * threads);
        }
        LogSystem sys = LogSystem.builder(layout).boot(boot).lanes(threads).open();
        Logger log = sys.logger("writer");
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                int other = (id + 1) % threads;
                for (long n = 1; ; n++) {
                    long seen = acks.getLong(8 * other);
                    if (markEvery > 0 && n % markEvery == 0) {
                        log.info("RAYOS_TICK").kv("t", id).kv("n", n).kv("seen", seen).log();
                    } else {
                        log.info("TICK").kv("t", id).kv("n", n).kv("seen", seen)
                                .kv("pad", "some text to make the line longer").log();
                    }
                    acks.putLong(8 * id, n);
                }
            });
            ts[t].start();
        }
        System.out.println("ready");
        System.out.flush();
        for (Thread t : ts) {
            t.join();
        }
    }
}
