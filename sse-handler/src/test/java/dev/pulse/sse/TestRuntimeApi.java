package dev.pulse.sse;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Lambda Runtime API on a loopback port for tests: a raw-socket HTTP/1.1 server that hands out queued
 * invocations on {@code GET /invocation/next} and records every other request. It parses chunked bodies
 * itself, strictly (CRLF after every size line and chunk), keeping each chunk's bytes and arrival time, and
 * the trailers. Independent of the production HTTP code on purpose.
 */
final class TestRuntimeApi implements AutoCloseable {

    static final String NEXT = "/2018-06-01/runtime/invocation/next";

    record Invocation(String requestId, long deadlineMs, String payload) {
    }

    record Chunk(byte[] data, long arrivedNanos) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** One recorded request (everything but {@code /next}). */
    static final class Recorded {
        final String method;
        final String path;
        final Map<String, String> headers;
        final List<Chunk> chunks = new ArrayList<>();
        final Map<String, String> trailers = new LinkedHashMap<>();
        byte[] body = new byte[0];
        final CompletableFuture<Recorded> done = new CompletableFuture<>();
        private volatile Socket socket;

        Recorded(String method, String path, Map<String, String> headers) {
            this.method = method;
            this.path = path;
            this.headers = headers;
        }

        /** Breaks the connection this request came on, as a failing Runtime API or network would. */
        void cut() throws IOException {
            socket.close();
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        synchronized List<Chunk> chunks() {
            return List.copyOf(chunks);
        }

        synchronized void add(Chunk chunk) {
            chunks.add(chunk);
            notifyAll();
        }

        synchronized Chunk awaitChunk(int index, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (chunks.size() <= index) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("chunk " + index + " did not arrive within " + timeout + "; got " + chunks.size());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return chunks.get(index);
        }

        Recorded awaitDone(Duration timeout) throws Exception {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private final ServerSocket server;
    private final BlockingQueue<Invocation> invocations = new LinkedBlockingQueue<>();
    private final BlockingQueue<Recorded> posts = new LinkedBlockingQueue<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<String> nextCalls = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;

    TestRuntimeApi() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("test-runtime-api").start(this::acceptLoop);
    }

    String endpoint() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    void enqueue(String requestId, Duration untilDeadline, String payload) {
        invocations.add(new Invocation(requestId, System.currentTimeMillis() + untilDeadline.toMillis(), payload));
    }

    /** The next recorded request (its head has arrived; its body may still be streaming). */
    Recorded nextPost(Duration timeout) throws InterruptedException {
        Recorded r = posts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no request to the Runtime API within " + timeout);
        }
        return r;
    }

    /** How many times {@code /next} was called. */
    int nextCalls() {
        return nextCalls.size();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread.ofPlatform().daemon().name("test-runtime-api-conn").start(() -> serve(socket));
            } catch (IOException e) {
                return;   // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            String requestLine = line(in);
            String[] parts = requestLine.split(" ");
            if (parts.length != 3 || !parts[2].equals("HTTP/1.1")) {
                throw new IOException("bad request line: " + requestLine);
            }
            Map<String, String> headers = headers(in);
            if (parts[0].equals("GET") && parts[1].equals(NEXT)) {
                nextCalls.add(parts[1]);
                Invocation invocation = null;
                while (!closed && invocation == null) {
                    invocation = invocations.poll(100, TimeUnit.MILLISECONDS);
                }
                if (invocation == null) {
                    return;   // shutting down: the runtime sees the connection close
                }
                byte[] body = invocation.payload().getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        + "Lambda-Runtime-Aws-Request-Id: " + invocation.requestId() + "\r\n"
                        + "Lambda-Runtime-Deadline-Ms: " + invocation.deadlineMs() + "\r\n"
                        + "Lambda-Runtime-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1\r\n"
                        + "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:function:pulse-sse\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                return;
            }
            Recorded recorded = new Recorded(parts[0], parts[1], headers);
            recorded.socket = socket;
            posts.add(recorded);
            try {
                if ("chunked".equals(headers.get("transfer-encoding"))) {
                    readChunked(in, recorded);
                } else {
                    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                    recorded.body = in.readNBytes(length);
                }
                out.write("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                recorded.done.complete(recorded);
            } catch (IOException | RuntimeException e) {
                recorded.done.completeExceptionally(e);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (!closed && !(e instanceof SocketException)) {
                System.err.println("test runtime api: " + e);
            }
        } finally {
            open.remove(socket);
        }
    }

    private static void readChunked(InputStream in, Recorded recorded) throws IOException {
        while (true) {
            String sizeLine = line(in);
            if (!sizeLine.matches("[0-9a-f]+")) {
                throw new IOException("bad chunk size line: '" + sizeLine + "'");
            }
            int size = Integer.parseInt(sizeLine, 16);
            if (size == 0) {
                for (String t = line(in); !t.isEmpty(); t = line(in)) {
                    int colon = t.indexOf(':');
                    recorded.trailers.put(t.substring(0, colon).strip(), t.substring(colon + 1).strip());
                }
                return;
            }
            byte[] data = in.readNBytes(size);
            if (data.length != size) {
                throw new EOFException("chunk cut short");
            }
            if (in.read() != '\r' || in.read() != '\n') {
                throw new IOException("chunk data not followed by CRLF");
            }
            recorded.add(new Chunk(data, System.nanoTime()));
        }
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
        return headers;
    }

    /** A line that must end with CRLF (a bare LF is a framing error). */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed mid-line");
            }
            if (b == '\n') {
                if (prev != '\r') {
                    throw new IOException("line ended with LF, not CRLF");
                }
                byte[] bytes = buf.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            buf.write(b);
            prev = b;
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
