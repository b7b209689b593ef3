package dev.pulse.local.lambda;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Lambda Function URL on a loopback port: each HTTP request becomes one invocation of the function
 * (payload format 2.0 event), answered according to the URL's invoke mode ({@link InvocationRelay}).
 *
 * <p>The front is a small HTTP/1.1 server of its own (one virtual thread per connection, {@link UrlConnection})
 * rather than the JDK's {@code HttpServer}, because it must decide things that server decides for it: refuse
 * a foreign {@code Host} or {@code Origin} before anything else, answer 429 before a body is read (and not
 * send {@code 100 Continue} first), and bound every client: connections, header bytes, time to send a
 * request, time a response write may stall, bytes queued for a slow reader ({@link FrontLimits}). A
 * watchdog enforces the deadlines by cutting the connection off.
 */
public final class FunctionUrlServer implements AutoCloseable {

    public static final int MAX_REQUEST = 6 * 1024 * 1024;
    static final int MAX_BUFFERED_RESPONSE = 6 * 1024 * 1024;
    static final String HTTP_INTEGRATION = "application/vnd.awslambda.http-integration-response";
    private static final long WATCHDOG_MILLIS = 200;

    private final FunctionPool pool;
    private final Consumer<String> log;
    private final FrontLimits limits;
    private final RequestGuard guard;
    private final String apiId;
    private final ServerSocket socket;
    private final Set<UrlConnection> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog;
    private volatile boolean closed;

    /** A loopback socket for a URL, bound before its function is configured (its port is part of the config). */
    static ServerSocket bind(int port) {
        try {
            return new ServerSocket(port, 128, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on 127.0.0.1:" + port
                    + " (is the port in use? set another one, or 0 for any free port)", e);
        }
    }

    /**
     * @param origins the pages besides the URL's own whose requests it takes (its CORS origins): a request from
     *                any other page's {@code Origin} is refused
     */
    FunctionUrlServer(FunctionPool pool, ServerSocket socket, OriginPolicy origins, FrontLimits limits,
                      Consumer<String> log) {
        this.pool = pool;
        this.log = log;
        this.limits = limits;
        this.socket = socket;
        this.guard = new RequestGuard(socket.getLocalPort(), origins);
        this.apiId = pool.spec().name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        this.watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name(pool.spec().name() + "-url-watchdog").factory());
        watchdog.scheduleWithFixedDelay(this::enforceDeadlines, WATCHDOG_MILLIS, WATCHDOG_MILLIS, TimeUnit.MILLISECONDS);
        Thread.ofVirtual().name(pool.spec().name() + "-url-accept").start(this::acceptLoop);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The URL, ending with '/' like a real Function URL. */
    URI url() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    FunctionPool pool() {
        return pool;
    }

    FrontLimits limits() {
        return limits;
    }

    RequestGuard guard() {
        return guard;
    }

    String apiId() {
        return apiId;
    }

    void log(String line) {
        log.accept(pool.spec().logPrefix() + " " + line);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!closed) {
                    log("accept failed: " + e.getMessage());
                }
                return;
            }
            if (connections.size() >= limits.maxConnections()) {
                refuseOverCap(client);
                continue;
            }
            UrlConnection connection = new UrlConnection(this, client);
            connections.add(connection);
            Thread.ofVirtual().name(pool.spec().name() + "-url-conn").start(() -> {
                try {
                    connection.serve();
                } finally {
                    connections.remove(connection);
                }
            });
        }
    }

    /** Over the connection cap: a short 503, unread, and the connection is closed (best effort). */
    private void refuseOverCap(Socket client) {
        log("503: " + limits.maxConnections() + " connections are open, the most this URL keeps; refused one");
        Thread.ofVirtual().start(() -> {
            try (client) {
                client.setSoTimeout(1000);
                OutputStream out = client.getOutputStream();
                out.write(("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException ignored) {
                // the client is gone already; nothing to tell it
            }
        });
    }

    /** Cuts off every connection whose read deadline passed or whose response write stalled. */
    private void enforceDeadlines() {
        long now = System.nanoTime();
        for (UrlConnection connection : connections) {
            connection.enforce(now);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        connections.forEach(UrlConnection::close);
        watchdog.shutdownNow();
    }
}
