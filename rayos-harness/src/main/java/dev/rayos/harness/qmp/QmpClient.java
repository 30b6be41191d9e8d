package dev.rayos.harness.qmp;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A client of the QEMU Machine Protocol over a Unix-domain socket.
 *
 * <p>QMP is newline-delimited JSON: QEMU greets with {@code {"QMP": ...}}, waits for
 * {@code qmp_capabilities}, then answers each {@code {"execute": ..., "id": ...}} with a
 * {@code return} or {@code error} carrying the same id, and interleaves asynchronous
 * {@code event} messages at any point. One reader thread owns the socket's input: it routes
 * replies to the caller waiting on that id and events to the event consumer, so a burst of
 * events never gets mistaken for a reply and a slow event consumer never blocks a reply
 * (events are handed over on the reader thread, so the consumer must be quick).
 *
 * <p>Reads have deadlines at the command level: {@link #execute} waits at most its timeout
 * for the reply. A QEMU that is stopped (SIGSTOP) or wedged accepts bytes into the socket
 * buffer but never answers; that timeout is what the watchdog measures.
 */
public final class QmpClient implements Closeable {
    /** Upper bound of one QMP message; QEMU's replies we use are a few hundred bytes. */
    static final int MAX_MESSAGE_BYTES = 1 << 20;

    private final SocketChannel channel;
    private final Consumer<QmpEvent> events;
    private final LongSupplier monoNanos;
    private final Map<String, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<Map<String, Object>> greeting = new CompletableFuture<>();
    private final Thread reader;
    private final Object writeLock = new Object();
    private volatile IOException closedBy;

    private QmpClient(SocketChannel channel, Consumer<QmpEvent> events, LongSupplier monoNanos) {
        this.channel = channel;
        this.events = events;
        this.monoNanos = monoNanos;
        this.reader = new Thread(this::readLoop, "qmp-reader");
        this.reader.setDaemon(true);
    }

    /**
     * Connects, reads the greeting and negotiates capabilities.
     *
     * @param socket  QEMU's QMP socket ({@code -qmp unix:PATH,server=on,wait=off})
     * @param timeout deadline for the greeting and for the {@code qmp_capabilities} reply
     * @param events  receives every event, on the reader thread
     */
    public static QmpClient connect(Path socket, Duration timeout, Consumer<QmpEvent> events, LongSupplier monoNanos) throws QmpException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new QmpException(QmpException.Kind.CONNECT, "cannot connect to QMP socket " + socket + ": " + e.getMessage(), e);
        }
        QmpClient c = new QmpClient(ch, events, monoNanos);
        c.reader.start();
        try {
            Map<String, Object> g = c.greeting.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!g.containsKey("QMP")) {
                throw new QmpException(QmpException.Kind.PROTOCOL, "QMP greeting expected, got " + g.keySet());
            }
            c.execute("qmp_capabilities", Map.of(), timeout);
            return c;
        } catch (TimeoutException e) {
            c.close();
            throw new QmpException(QmpException.Kind.TIMEOUT, "no QMP greeting within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            c.close();
            throw new QmpException(QmpException.Kind.CLOSED, "QMP closed before the greeting", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new QmpException(QmpException.Kind.CLOSED, "interrupted while waiting for the QMP greeting");
        } catch (QmpException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Sends one command and waits for its reply.
     *
     * @return the {@code return} value (a map; QMP commands without a value return {@code {}})
     * @throws QmpException {@code TIMEOUT} when no reply came in time, {@code ERROR_REPLY} for
     *                      a QMP {@code error}, {@code CLOSED} when the connection ended
     */
    public Map<String, Object> execute(String command, Map<String, Object> arguments, Duration timeout) throws QmpException {
        CompletableFuture<Map<String, Object>> reply = send(command, arguments);
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new QmpException(QmpException.Kind.TIMEOUT, command + ": no reply within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof QmpException q) {
                throw new QmpException(q.kind(), q.getMessage(), q);
            }
            throw new QmpException(QmpException.Kind.CLOSED, command + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException(QmpException.Kind.CLOSED, command + ": interrupted");
        }
    }

    /** Sends a command without waiting; the future completes with the reply or fails. */
    public CompletableFuture<Map<String, Object>> send(String command, Map<String, Object> arguments) {
        String id = "rayos-" + ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
        // Replies whose caller gave up must not pile up in the map: drop the entry either way.
        reply.whenComplete((r, t) -> pending.remove(id));
        IOException closed = closedBy;
        if (closed != null) {
            reply.completeExceptionally(new QmpException(QmpException.Kind.CLOSED, "QMP connection closed: " + closed.getMessage()));
            return reply;
        }
        pending.put(id, reply);
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("execute", command);
        if (arguments != null && !arguments.isEmpty()) {
            msg.put("arguments", arguments);
        }
        msg.put("id", id);
        try {
            byte[] bytes = (JSON.std.asString(msg) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            synchronized (writeLock) {
                // A stopped QEMU still has room in its socket buffer for small commands, so
                // this write returns; the missing reply is what reveals the hang.
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
        } catch (IOException e) {
            reply.completeExceptionally(new QmpException(QmpException.Kind.CLOSED, command + ": write failed: " + e.getMessage(), e));
        }
        return reply;
    }

    /** True until the socket ends (QEMU exited) or {@link #close()} was called. */
    public boolean isOpen() {
        return closedBy == null && channel.isOpen();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is best effort: the peer may already be gone
        }
        failAll(new IOException("closed by the harness"));
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (true) {
                buf.clear();
                int n = channel.read(buf);
                if (n < 0) {
                    failAll(new IOException("QEMU closed the QMP socket"));
                    return;
                }
                for (int i = 0; i < n; i++) {
                    byte b = buf.get(i);
                    if (b == '\n') {
                        dispatch(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else if (line.size() < MAX_MESSAGE_BYTES) {
                        line.write(b);
                    } else {
                        failAll(new IOException("QMP message longer than " + MAX_MESSAGE_BYTES + " bytes"));
                        close();
                        return;
                    }
                }
            }
        } catch (IOException e) {
            failAll(e);
        }
    }

    private void dispatch(String text) {
        if (text.isBlank()) {
            return;
        }
        Map<String, Object> msg;
        try {
            msg = JSON.std.mapFrom(text);
        } catch (IOException e) {
            return; // not JSON: QEMU never sends this; ignoring keeps one bad line from ending the session
        }
        if (msg.containsKey("QMP")) {
            greeting.complete(msg);
        } else if (msg.containsKey("event")) {
            Object data = msg.get("data");
            @SuppressWarnings("unchecked")
            Map<String, Object> d = data instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            events.accept(new QmpEvent(String.valueOf(msg.get("event")), d, monoNanos.getAsLong()));
        } else {
            Object id = msg.get("id");
            CompletableFuture<Map<String, Object>> reply = id == null ? null : pending.get(id.toString());
            if (reply == null) {
                return; // a reply to a command whose caller already gave up
            }
            if (msg.containsKey("error")) {
                reply.completeExceptionally(new QmpException(QmpException.Kind.ERROR_REPLY, "QMP error: " + msg.get("error")));
            } else {
                Object ret = msg.get("return");
                @SuppressWarnings("unchecked")
                Map<String, Object> r = ret instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of("return", String.valueOf(ret));
                reply.complete(r);
            }
        }
    }

    private void failAll(IOException cause) {
        if (closedBy == null) {
            closedBy = cause;
        }
        greeting.completeExceptionally(cause);
        QmpException e = new QmpException(QmpException.Kind.CLOSED, "QMP connection closed: " + cause.getMessage(), cause);
        for (CompletableFuture<Map<String, Object>> f : pending.values()) {
            f.completeExceptionally(e);
        }
    }
}
