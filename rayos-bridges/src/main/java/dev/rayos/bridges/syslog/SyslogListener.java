package dev.rayos.bridges.syslog;

import dev.rayos.log.LogSystem;
import dev.rayos.log.policy.BridgeSettings;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The syslog socket ({@code docs/bridges.md}): accepts RFC 3164 and RFC 5424 messages, LF-framed or
 * octet-counted, on {@code run/rayos/log.sock} (a Unix stream socket, what {@code logger -u} and
 * syslog(3) write to) and on the loopback TCP/UDP ports the policy names, and logs each one as a
 * RayOS line ({@link SyslogMapping}).
 *
 * <p>Threads: one acceptor per stream socket, one reader per connection (at most
 * {@link #MAX_CONNECTIONS}; more are closed at once and counted), one for UDP. A connection's frames
 * are logged in order on its reader thread, through that thread's own event buffer, so writers never
 * wait for each other in the listener. Nothing a sender writes stops a reader: bad frames are logged
 * as {@code SYSLOG_MALFORMED}, oversized ones cut short.
 *
 * <p>{@link #close()} stops accepting and removes the socket file at once (a new listener may bind
 * it straight away), then lets each open connection finish for up to {@link #DRAIN_MILLIS} ms before
 * closing it: a client that ends its connection within that time loses nothing.
 */
public final class SyslogListener implements AutoCloseable {
    /** Open connections served at once. */
    public static final int MAX_CONNECTIONS = 512;
    /** How long {@link #close()} lets open connections finish. */
    public static final long DRAIN_MILLIS = 1000;

    private final SyslogMapping mapping;
    private final Path socketPath;
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private DatagramChannel udp;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Selector> selectors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.util.concurrent.CountDownLatch acceptorsDone = new java.util.concurrent.CountDownLatch(0);
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean closing;

    private SyslogListener(LogSystem system, BridgeSettings settings, Path socketPath) {
        this.mapping = new SyslogMapping(system, settings);
        this.socketPath = socketPath;
    }

    /**
     * Starts listening as the policy says: the root's {@code run/rayos/log.sock} unless
     * {@code syslog.socket = off}, and {@code syslog.tcp} / {@code syslog.udp} when set.
     *
     * @throws IOException when a socket cannot be bound (another listener holds it, a port in use)
     */
    public static SyslogListener start(LogSystem system, RootLayout layout, Policy policy) throws IOException {
        BridgeSettings s = policy.bridges();
        Path sock = null;
        if (s.syslogSocket()) {
            Files.createDirectories(layout.runDir());
            layout.requireInside(layout.runDir());
            sock = layout.syslogSocket();
        }
        SyslogListener l = new SyslogListener(system, s, sock);
        try {
            if (sock != null) {
                l.bindUnix(sock);
            }
            if (s.syslogTcp().isPresent()) {
                BridgeSettings.Endpoint e = s.syslogTcp().get();
                ServerSocketChannel ch = ServerSocketChannel.open();
                ch.bind(new InetSocketAddress(host(e), e.port()));
                l.serve(ch, "tcp");
            }
            if (s.syslogUdp().isPresent()) {
                BridgeSettings.Endpoint e = s.syslogUdp().get();
                l.udp = DatagramChannel.open().bind(new InetSocketAddress(host(e), e.port()));
                l.thread("rayos-syslog-udp", l::readUdp);
            }
        } catch (IOException | RuntimeException e) {
            l.close();
            throw e;
        }
        return l;
    }

    private static String host(BridgeSettings.Endpoint e) {
        return e.host().equals("[::1]") ? "::1" : e.host();
    }

    /** Messages logged so far (malformed ones included). */
    public long frames() {
        return frames.get();
    }

    /** Frames cut short at {@link SyslogFramer#MAX_FRAME} bytes. */
    public long truncated() {
        return truncated.get();
    }

    /** Connections closed at once because {@link #MAX_CONNECTIONS} were open. */
    public long refused() {
        return refused.get();
    }

    /** The Unix socket listened on, if any. */
    public java.util.Optional<Path> socket() {
        return java.util.Optional.ofNullable(socketPath);
    }

    private void bindUnix(Path sock) throws IOException {
        if (Files.exists(sock, LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes a = Files.readAttributes(sock, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isOther()) {
                throw new IOException(sock + " exists and is not a socket; not replacing it");
            }
            try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                throw new IOException("another process listens on " + sock);
            } catch (IOException refusedOrGone) {
                if (refusedOrGone.getMessage() != null && refusedOrGone.getMessage().startsWith("another process")) {
                    throw refusedOrGone;
                }
                Files.deleteIfExists(sock); // left by a listener that died
            }
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(sock));
        // any local process may log, as with /dev/log
        sock.toFile().setWritable(true, false);
        sock.toFile().setReadable(true, false);
        serve(ch, "unix");
    }

    private void serve(ServerSocketChannel ch, String name) {
        servers.add(ch);
        acceptorsDone = new java.util.concurrent.CountDownLatch(servers.size());
        thread("rayos-syslog-accept-" + name, () -> accept(ch));
    }

    private void thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /**
     * Accepts until {@link #close()}: then the socket file is already gone (no new client can
     * reach it), so what is left in the backlog is accepted too before the loop ends. A client that
     * connected and wrote just before the close is served, not dropped with the backlog.
     */
    private void accept(ServerSocketChannel server) {
        try (Selector sel = Selector.open()) {
            server.configureBlocking(false);
            server.register(sel, SelectionKey.OP_ACCEPT);
            selectors.add(sel);
            while (true) {
                boolean last = closing;
                sel.select(200);
                sel.selectedKeys().clear();
                SocketChannel c;
                while ((c = acceptOne(server)) != null) {
                    admit(c);
                }
                if (last) {
                    return;
                }
            }
        } catch (IOException e) {
            // the selector could not be opened or the server channel is closed: nothing to accept
        } finally {
            closeQuietly(server);
            acceptorsDone.countDown();
        }
    }

    private static SocketChannel acceptOne(ServerSocketChannel server) {
        try {
            SocketChannel c = server.accept();
            if (c != null) {
                c.configureBlocking(true);
            }
            return c;
        } catch (IOException e) {
            return null; // e.g. EMFILE: the next round may succeed
        }
    }

    private void admit(SocketChannel c) {
        if (connections.size() >= MAX_CONNECTIONS) {
            refused.incrementAndGet();
            closeQuietly(c);
            return;
        }
        Connection conn = new Connection(c);
        connections.add(conn);
        Thread t = new Thread(conn, "rayos-syslog-conn");
        t.setDaemon(true);
        conn.thread = t;
        t.start();
    }

    /** One client's stream: read, cut into frames, log each. */
    private final class Connection implements Runnable {
        final SocketChannel channel;
        volatile Thread thread;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void run() {
            SyslogFramer framer = new SyslogFramer(this::frame);
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            try {
                while (true) {
                    buf.clear();
                    int n = channel.read(buf);
                    if (n < 0) {
                        break;
                    }
                    framer.feed(buf.array(), 0, n);
                }
                framer.end();
            } catch (IOException e) {
                framer.end(); // closed by close() after the drain time, or reset by the client
            } finally {
                closeQuietly(channel);
                connections.remove(this);
            }
        }

        private void frame(byte[] b, int off, int len, boolean cut) {
            frames.incrementAndGet();
            if (cut) {
                truncated.incrementAndGet();
            }
            mapping.frame(b, off, len, cut);
        }
    }

    private void readUdp() {
        ByteBuffer buf = ByteBuffer.allocate(SyslogFramer.MAX_FRAME);
        while (!closing) {
            try {
                buf.clear();
                udp.receive(buf);
                // A datagram is one message (RFC 5426), but some senders end it with LF.
                int n = buf.position();
                while (n > 0 && (buf.get(n - 1) == '\n' || buf.get(n - 1) == 0)) {
                    n--;
                }
                if (n > 0) {
                    frames.incrementAndGet();
                    mapping.frame(buf.array(), 0, n, false);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closing) {
                    return;
                }
            }
        }
    }

    /**
     * Stops accepting and removes the socket file, lets open connections finish for up to
     * {@link #DRAIN_MILLIS} ms, then closes them.
     */
    @Override
    public void close() {
        if (socketPath != null) {
            try {
                Files.deleteIfExists(socketPath); // first: from now on no new client reaches this listener
            } catch (IOException ignored) {
                // the next listener replaces a stale socket file anyway
            }
        }
        closing = true;
        for (Selector sel : selectors) {
            sel.wakeup();
        }
        try {
            if (!acceptorsDone.await(2, TimeUnit.SECONDS)) {
                for (ServerSocketChannel s : servers) {
                    closeQuietly(s);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (udp != null) {
            closeQuietly(udp);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        for (Connection c : List.copyOf(connections)) {
            Thread t = c.thread;
            long left = deadline - System.nanoTime();
            if (t != null && left > 0) {
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        for (Connection c : List.copyOf(connections)) {
            closeQuietly(c.channel);
        }
        for (Thread t : threads) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing a socket that failed: nothing left to do
        }
    }
}
