package dev.rayos.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A {@link Machine}'s serial console, over QEMU's socket: a reader thread copies what the guest
 * prints to the {@link Console} (and to the echo stream and the serial log, when asked), and a
 * single writer thread types lines into it. Input goes through that writer so that a guest that
 * stops reading can never block the reader, nor the caller.
 */
final class Serial {
    private final SocketChannel socket;
    private final Console console;
    private final OutputStream echo;
    private final OutputStream log;
    private final ExecutorService writer;
    private final Thread reader;

    private Serial(SocketChannel socket, Console console, OutputStream echo, OutputStream log) {
        this.socket = socket;
        this.console = console;
        this.echo = echo;
        this.log = log;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "console-writer");
            t.setDaemon(true);
            return t;
        });
        this.reader = new Thread(this::read, "console-reader");
        reader.setDaemon(true);
    }

    /** Connects to the socket; {@code echo} and {@code logFile} may be null. Reading begins at {@link #start}. */
    static Serial open(Path socketPath, Console console, OutputStream echo, Path logFile) throws IOException {
        OutputStream log = logFile != null ? Files.newOutputStream(logFile) : null;
        SocketChannel s;
        try {
            s = SocketChannel.open(StandardProtocolFamily.UNIX);
            s.connect(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException e) {
            if (log != null) {
                log.close();
            }
            throw e;
        }
        return new Serial(s, console, echo, log);
    }

    /** Starts reading (once the console's listeners are in place). */
    void start() {
        reader.start();
    }

    /** Writes a line to the guest's console input (queued; never blocks the caller). */
    void sendLine(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        writer.execute(() -> {
            try {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining() && socket.isOpen()) {
                    socket.write(b);
                }
            } catch (IOException e) {
                // QEMU gone: the exit watcher reports it; nothing to add here
            }
        });
    }

    /** Waits up to {@code ms} for the reader to reach the end of the console. */
    void awaitEnd(long ms) throws InterruptedException {
        reader.join(ms);
    }

    /** Stops the writer and closes the socket and the serial log. */
    void close() {
        writer.shutdownNow();
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
        if (log != null) {
            try {
                log.close();
            } catch (IOException ignored) {
                // the log is best effort; the transcript is still in memory
            }
        }
    }

    private void read() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try {
            while (true) {
                buf.clear();
                int n = socket.read(buf);
                if (n < 0) {
                    return;
                }
                byte[] a = buf.array();
                if (echo != null) {
                    writeQuietly(echo, a, n);
                }
                if (log != null) {
                    writeQuietly(log, a, n);
                }
                console.accept(a, 0, n);
            }
        } catch (IOException e) {
            // socket closed: QEMU exited or the machine is closing
        } finally {
            console.wake();
        }
    }

    private static void writeQuietly(OutputStream out, byte[] a, int n) {
        try {
            out.write(a, 0, n);
            out.flush();
        } catch (IOException ignored) {
            // echo and serial log are conveniences; the watch goes on without them
        }
    }
}
