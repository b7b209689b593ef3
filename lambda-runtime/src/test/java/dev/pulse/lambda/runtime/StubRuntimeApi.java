package dev.pulse.lambda.runtime;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Lambda Runtime API on a loopback port, for tests of a runtime: a raw-socket HTTP/1.1 server that hands queued
 * invocations to {@code GET /invocation/next} (any number waiting at once), answers SnapStart's
 * {@code GET /restore/next} when told, and records every other request: its raw bytes, its head, each chunk with its
 * arrival time, and its trailers. It parses strictly (CRLF after every line, hex sizes) and shares no code with the
 * runtime's own HTTP, so a framing mistake in either cannot hide the other's.
 */
public final class StubRuntimeApi implements AutoCloseable {

    public static final String NEXT = "/2018-06-01/runtime/invocation/next";
    public static final String RESTORE_NEXT = "/2018-06-01/runtime/restore/next";
    public static final String TRACE_ID = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1";

    /** One invocation to hand out. */
    public record Invocation(String requestId, String invocationId, long deadlineMs, String traceId, String payload) {
    }

    /** One chunk of a recorded body, with when it arrived. */
    public record Chunk(byte[] data, long arrivedNanos) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** One recorded request (everything but {@code /next} and {@code /restore/next}). */
    public static final class Recorded {
        public final String method;
        public final String path;
        /** Lower-case names. */
        public final Map<String, String> headers;
        public final Map<String, String> trailers = new LinkedHashMap<>();
        public final CompletableFuture<Recorded> done = new CompletableFuture<>();
        /** When the request's head had arrived ({@link System#nanoTime()}). */
        public final long headNanos = System.nanoTime();
        private final List<Chunk> chunks = new ArrayList<>();
        private final ByteArrayOutputStream raw;
        private volatile byte[] body = new byte[0];
        private volatile Socket socket;

        Recorded(String method, String path, Map<String, String> headers, ByteArrayOutputStream raw) {
            this.method = method;
            this.path = path;
            this.headers = headers;
            this.raw = raw;
        }

        /** Breaks the connection this request came on, as a failing Runtime API or network would. */
        public void cut() throws IOException {
            socket.close();
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The body of a request with a Content-Length. */
        public byte[] body() {
            return body;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** Every byte the runtime sent for this request, head included. */
        public byte[] raw() {
            synchronized (raw) {
                return raw.toByteArray();
            }
        }

        public synchronized List<Chunk> chunks() {
            return List.copyOf(chunks);
        }

        synchronized void add(Chunk chunk) {
            chunks.add(chunk);
            notifyAll();
        }

        public synchronized Chunk awaitChunk(int index, Duration timeout) throws InterruptedException {
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

        public Recorded awaitDone(Duration timeout) throws Exception {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private final ServerSocket server;
    private final BlockingQueue<Invocation> invocations = new LinkedBlockingQueue<>();
    private final BlockingQueue<Recorded> posts = new LinkedBlockingQueue<>();
    private final List<Recorded> all = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextCalls = new AtomicInteger();
    private final AtomicInteger waitingNext = new AtomicInteger();
    private final AtomicInteger restoreCalls = new AtomicInteger();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> handedOutNanos = new ConcurrentHashMap<>();
    private volatile long firstNextNanos;
    private final CompletableFuture<Void> restored = new CompletableFuture<>();
    private volatile boolean closed;

    public StubRuntimeApi() throws IOException {
        server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());   // a thousand streams may connect at once
        Thread.ofPlatform().daemon().name("stub-runtime-api").start(this::acceptLoop);
    }

    /** host:port, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    public String endpoint() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public void enqueue(Invocation invocation) {
        invocations.add(invocation);
    }

    /** An invocation whose invocation id is {@code inv-<requestId>} and whose trace id is {@link #TRACE_ID}. */
    public void enqueue(String requestId, Duration untilDeadline, String payload) {
        enqueue(new Invocation(requestId, "inv-" + requestId, System.currentTimeMillis() + untilDeadline.toMillis(),
                TRACE_ID, payload));
    }

    /** Answers 410 Gone, as Lambda does once an invocation timed out, to every response or error for it. */
    public void timeOut(String requestId) {
        gone.add(requestId);
    }

    /** Lets a waiting {@code GET /restore/next} return: the environment has been restored. */
    public void restore() {
        restored.complete(null);
    }

    /** The next recorded request (its head has arrived; its body may still be streaming). */
    public Recorded nextPost(Duration timeout) throws InterruptedException {
        Recorded r = posts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no request to the Runtime API within " + timeout);
        }
        return r;
    }

    /**
     * The recorded request about invocation {@code requestId} (its response or error), waiting for it: for tests whose
     * invocations run at once, where {@link #nextPost} would hand out whichever came first.
     */
    public Recorded awaitPost(String requestId, Duration timeout) throws InterruptedException {
        String marker = "/invocation/" + requestId + "/";
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (Recorded recorded : all) {
                if (recorded.path.contains(marker)) {
                    return recorded;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no request about invocation " + requestId + " within " + timeout);
    }

    /** Every recorded request so far, in arrival order. */
    public List<Recorded> recorded() {
        return List.copyOf(all);
    }

    public int nextCalls() {
        return nextCalls.get();
    }

    /** When the first {@code /next} arrived ({@link System#nanoTime()}), 0 before: the end of the runtime's init. */
    public long firstNextNanos() {
        return firstNextNanos;
    }

    /** When the stub began answering the {@code /next} that handed out {@code requestId}; null before. */
    public Long handedOutNanos(String requestId) {
        return handedOutNanos.get(requestId);
    }

    public int restoreCalls() {
        return restoreCalls.get();
    }

    /** Waits until {@code n} calls to {@code /next} are waiting at once. */
    public void awaitWaitingNext(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (waitingNext.get() < n) {
            if (System.nanoTime() > end) {
                throw new AssertionError(n + " calls to /next were not waiting at once within " + timeout
                        + "; " + waitingNext.get() + " were");
            }
            Thread.sleep(5);
        }
    }

    public int waitingNext() {
        return waitingNext.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread.ofPlatform().daemon().name("stub-runtime-api-conn").start(() -> serve(socket));
            } catch (IOException e) {
                return;   // closed
            }
        }
    }

    private void serve(Socket socket) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (socket) {
            InputStream in = new BufferedInputStream(new Tee(socket.getInputStream(), raw));
            OutputStream out = socket.getOutputStream();
            String requestLine = line(in);
            String[] parts = requestLine.split(" ");
            if (parts.length != 3 || !parts[2].equals("HTTP/1.1")) {
                throw new IOException("bad request line: " + requestLine);
            }
            Map<String, String> headers = headers(in);
            if (parts[0].equals("GET") && parts[1].equals(NEXT)) {
                next(socket, in, out);
                return;
            }
            if (parts[0].equals("GET") && parts[1].equals(RESTORE_NEXT)) {
                restoreCalls.incrementAndGet();
                while (!closed && !restored.isDone()) {
                    Thread.sleep(5);
                }
                if (!closed) {
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                return;
            }
            Recorded recorded = new Recorded(parts[0], parts[1], headers, raw);
            recorded.socket = socket;
            all.add(recorded);
            posts.add(recorded);
            try {
                if ("chunked".equals(headers.get("transfer-encoding"))) {
                    readChunked(in, recorded);
                } else {
                    recorded.body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
                }
                if (gone.stream().anyMatch(id -> parts[1].contains("/invocation/" + id + "/"))) {
                    answer(out, "410 Gone", "{\"errorMessage\":\"Invoke timeout\",\"errorType\":\"ErrorRuntimeInvokeTimeout\"}");
                } else {
                    answer(out, "202 Accepted", "{\"status\":\"OK\"}");
                }
                recorded.done.complete(recorded);
            } catch (IOException | RuntimeException e) {
                recorded.done.completeExceptionally(e);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (!closed && !(e instanceof SocketException) && !(e instanceof EOFException)) {
                System.err.println("stub runtime api: " + e);
            }
        } finally {
            open.remove(socket);
        }
    }

    private void next(Socket socket, InputStream in, OutputStream out) throws IOException, InterruptedException {
        if (nextCalls.getAndIncrement() == 0) {
            firstNextNanos = System.nanoTime();
        }
        waitingNext.incrementAndGet();
        Invocation invocation = null;
        try {
            while (!closed && invocation == null && !hungUp(socket, in)) {
                invocation = invocations.poll(20, TimeUnit.MILLISECONDS);
            }
        } finally {
            waitingNext.decrementAndGet();
        }
        if (invocation == null) {
            return;   // shutting down, or the runtime stopped waiting
        }
        byte[] body = invocation.payload().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
                .append("Lambda-Runtime-Aws-Request-Id: ").append(invocation.requestId()).append("\r\n")
                .append("Lambda-Runtime-Deadline-Ms: ").append(invocation.deadlineMs()).append("\r\n")
                .append("Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:function:under-test\r\n");
        if (invocation.traceId() != null) {
            head.append("Lambda-Runtime-Trace-Id: ").append(invocation.traceId()).append("\r\n");
        }
        if (invocation.invocationId() != null) {
            head.append("Lambda-Runtime-Invocation-Id: ").append(invocation.invocationId()).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        try {
            handedOutNanos.put(invocation.requestId(), System.nanoTime());
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        } catch (IOException e) {
            invocations.add(invocation);   // the runtime hung up first (a drain): nobody got it
            throw e;
        }
    }

    /** True when the runtime closed its side of a waiting {@code /next} (as a drain does). */
    private static boolean hungUp(Socket socket, InputStream in) throws IOException {
        socket.setSoTimeout(1);
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException stillThere) {
            return false;
        } catch (SocketException reset) {
            return true;
        } finally {
            socket.setSoTimeout(0);
        }
    }

    private static void answer(OutputStream out, String status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
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

    /** Copies every byte read into {@code copy}. */
    private static final class Tee extends FilterInputStream {
        private final ByteArrayOutputStream copy;

        Tee(InputStream in, ByteArrayOutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                synchronized (copy) {
                    copy.write(b);
                }
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                synchronized (copy) {
                    copy.write(b, off, n);
                }
            }
            return n;
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
