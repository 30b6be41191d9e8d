package dev.rayos.bridges.forward;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * One connection to the collector: plain TCP ({@code tcp://HOST:PORT}) or TLS through the JDK's
 * {@link SSLSocket}, trusting only the certificates of a CA file and checking the host name
 * ({@code tls://HOST:PORT}, RFC 5425).
 */
final class Collector implements AutoCloseable {
    /** Bounds what sits unacknowledged in the kernel, so the replay window covers it. */
    static final int SEND_BUFFER = 256 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 5000;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private Collector(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** Connects to {@code target}; for {@code tls://} the handshake is done here, so a bad certificate fails now. */
    static Collector connect(URI target, Path caFile) throws IOException {
        Socket s = new Socket();
        try {
            s.setSendBufferSize(SEND_BUFFER);
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(target.getHost(), target.getPort()), CONNECT_TIMEOUT_MS);
            if ("tls".equals(target.getScheme())) {
                SSLSocket t = (SSLSocket) context(caFile).getSocketFactory()
                        .createSocket(s, target.getHost(), target.getPort(), true);
                SSLParameters p = t.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                if (!target.getHost().matches("[0-9.]+|.*:.*")) {
                    p.setServerNames(java.util.List.of(new SNIHostName(target.getHost())));
                }
                t.setSSLParameters(p);
                t.startHandshake();
                return new Collector(t);
            }
            return new Collector(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static SSLContext context(Path caFile) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int n = 0;
            try (InputStream in = Files.newInputStream(caFile)) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("ca" + n++, c);
                }
            }
            if (n == 0) {
                throw new IOException("forward.ca_file " + caFile + " holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("forward.ca_file " + caFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the collector closed its side. A syslog collector never writes, so anything read
     * means end of stream or a reset; checked before each batch, as rsyslog's omfwd does, so that
     * a collector restart is noticed before a batch is written into a dead connection.
     */
    boolean closedByPeer() {
        try {
            socket.setSoTimeout(1);
            return in.read() < 0;
        } catch (SocketTimeoutException alive) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    void send(byte[] b, int len) throws IOException {
        out.write(b, 0, len);
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing is left to say to a collector we are leaving
        }
    }
}
