package dev.pulse.local.lambda;

import dev.pulse.lambda.wire.BodyTooLargeException;
import dev.pulse.lambda.wire.ChunkedReader;
import dev.pulse.lambda.wire.Http1;
import dev.pulse.lambda.wire.HttpFormatException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One client connection to an emulated Function URL: reads requests one after another (keep-alive) and
 * answers each. In order, so that a refused client costs as little as possible:
 * <ol>
 *   <li>the head, within {@link FrontLimits#maxHeadBytes()} and {@link FrontLimits#headTimeout()};</li>
 *   <li>{@code Host} and {@code Origin} ({@link RequestGuard}) → 403;</li>
 *   <li>the announced body size → 413 (a malformed {@code Content-Length} → 400);</li>
 *   <li>an environment is reserved → 429 when all are busy, before the body is read (and before
 *       {@code 100 Continue});</li>
 *   <li>the body, within {@link FrontLimits#bodyTimeout()} (malformed chunks → 400); then the invocation.</li>
 * </ol>
 * Heads and bodies are read with the project's HTTP/1.1 codec ({@code dev.pulse.lambda.wire}), which refuses a body
 * over the cap before reading it and reports malformed framing as {@link HttpFormatException}.
 * A refusal with a body still unread closes the connection after reading and dropping what the client goes
 * on sending for a moment (a "lingering close"), so it sees the answer rather than a reset.
 */
final class UrlConnection {

    private static final String FORBIDDEN = "{\"Message\":\"Forbidden\"}";
    private static final String THROTTLED = "{\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\","
            + "\"Type\":\"User\",\"message\":\"Rate Exceeded.\"}";

    private final FunctionUrlServer url;
    private final FrontLimits limits;
    private final Socket socket;
    private volatile long readDeadline;     // System.nanoTime() after which a read is cut off; 0 = none
    private volatile long writingSince;     // when the write under way began; 0 = none
    private volatile boolean timedOut;

    UrlConnection(FunctionUrlServer url, Socket socket) {
        this.url = url;
        this.limits = url.limits();
        this.socket = socket;
    }

    void serve() {
        try (socket) {
            socket.setTcpNoDelay(true); // each SSE event is its own small write: no Nagle delay
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(new StallWatchedOutput(socket.getOutputStream()), 16 * 1024);
            boolean keepAlive = true;
            while (keepAlive) {
                keepAlive = serveOne(in, out);
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or broke the protocol mid-answer; whatever had to be logged was.
        }
    }

    /** Serves the next request on the connection, in the order above; true when the connection can carry another. */
    private boolean serveOne(BufferedInputStream in, OutputStream out) throws IOException {
        if (!nextRequestBegins(in)) {
            return false;
        }
        Http1.RequestHead head = readHead(in, out);
        if (head == null || !admitted(head, in, out)) {
            return false;
        }
        ResponseWriter writer = new ResponseWriter(out, head.method().equals("HEAD"), head.version().equals("HTTP/1.1"));
        FunctionPool.Reservation reservation;
        try {
            reservation = url.pool().reserve();
        } catch (FunctionPool.ThrottledException e) {
            return answerThrottled(head, e.getMessage(), writer, in, out);
        } catch (RuntimeException cannotStart) {
            refuse(out, in, announcesBody(head), 502, "text/plain", "Internal Server Error",
                    "502: no environment could be started: " + cannotStart.getMessage(), LambdaErrorType.START_FAILED.wireName());
            return false;
        }
        byte[] body = readBody(head, reservation, writer, in, out);
        return body != null && invokeAndRelay(head, body, reservation, writer);
    }

    /** Waits, up to the idle timeout, for the first byte of a request; false when the client closed instead. */
    private boolean nextRequestBegins(BufferedInputStream in) throws IOException {
        readDeadline = deadline(limits.idleTimeout());
        in.mark(1);
        if (in.read() < 0) {
            return false; // closed between requests (or idle too long)
        }
        in.reset();
        return true;
    }

    /** The request head, within its size and time caps; null when the client closed or was answered (431, 408, 400). */
    private Http1.RequestHead readHead(InputStream in, OutputStream out) throws IOException {
        readDeadline = deadline(limits.headTimeout());
        Http1.RequestHead head;
        try {
            head = Http1.readRequestHead(new BoundedInput(in, limits.maxHeadBytes()));
        } catch (HeadTooLarge e) {
            readDeadline = 0;
            refuse(out, in, true, 431, "text/plain", "Request Header Fields Too Large",
                    "431: a request head over " + limits.maxHeadBytes() + " bytes");
            return null;
        } catch (IOException e) {
            readDeadline = 0;
            if (timedOut) {
                url.log("408: the request head did not arrive within " + seconds(limits.headTimeout())
                        + " s; connection cut off (slowloris guard)");
                answerAndClose(out, 408, "text/plain", "Request Timeout");
            } else {
                answerAndClose(out, 400, "text/plain", "Bad Request");
            }
            return null;
        }
        readDeadline = 0;
        return head;
    }

    /**
     * Whether a request may reach an environment: an HTTP version this front speaks (else 505), this URL's Host and
     * an allowed Origin (403), a path (400), a body size it takes (400, 413). A refused one is answered and closed.
     */
    private boolean admitted(Http1.RequestHead head, InputStream in, OutputStream out) throws IOException {
        if (!head.version().equals("HTTP/1.1") && !head.version().equals("HTTP/1.0")) {
            answerAndClose(out, 505, "text/plain", "HTTP Version Not Supported");
            return false;
        }
        String refusal = url.guard().refusal(head.header("host"), head.header("origin"));
        if (refusal != null) {
            url.log("403 " + head.method() + " " + pathOf(head.target()) + ": " + refusal);
            refuse(out, in, announcesBody(head), 403, "application/json", FORBIDDEN, null, "ForbiddenException");
            return false;
        }
        if (!head.target().startsWith("/")) {
            refuse(out, in, announcesBody(head), 400, "text/plain", "Bad Request", "400: request target " + head.target());
            return false;
        }
        return bodySizeAdmitted(head, in, out);
    }

    /** A well-formed {@code Content-Length} within the cap (chunks are checked against it as they arrive). */
    private boolean bodySizeAdmitted(Http1.RequestHead head, InputStream in, OutputStream out) throws IOException {
        long length;
        try {
            length = head.chunked() ? -1 : head.contentLength();
        } catch (HttpFormatException e) {
            refuse(out, in, true, 400, "text/plain", "Bad Request", "400 " + head.method() + " " + pathOf(head.target())
                    + ": " + e.getMessage());
            return false;
        }
        if (length > FunctionUrlServer.MAX_REQUEST) {
            refuse(out, in, true, 413, "application/json", tooLarge(), "413: a body of " + length + " bytes",
                    "RequestEntityTooLargeException");
            return false;
        }
        return true;
    }

    /** 429 as a Function URL answers it; the connection goes on when the request left no body unread. */
    private boolean answerThrottled(Http1.RequestHead head, String why, ResponseWriter writer, InputStream in,
                                    OutputStream out) throws IOException {
        url.log("429 " + head.method() + " " + pathOf(head.target()) + ": " + why);
        if (announcesBody(head)) {
            refuse(out, in, true, 429, "application/json", THROTTLED, null, "TooManyRequestsException");
            return false;
        }
        writer.whole(429, errorHeaders("application/json", "TooManyRequestsException"), bytes(THROTTLED),
                head.closeRequested());
        return !head.closeRequested();
    }

    /**
     * The body (after {@code 100 Continue} when the client waits for it), within the time and size caps; null when it
     * could not be read: the reservation is then given back and the client answered (408, 413, 400) or gone.
     */
    private byte[] readBody(Http1.RequestHead head, FunctionPool.Reservation reservation, ResponseWriter writer,
                            InputStream in, OutputStream out) throws IOException {
        try {
            if (announcesBody(head) && "100-continue".equalsIgnoreCase(head.header("expect"))) {
                writer.sendContinue();
            }
            readDeadline = deadline(limits.bodyTimeout());
            // refused as soon as the announced chunk sizes pass the cap: nothing over it is read
            byte[] body = head.chunked() ? ChunkedReader.readAll(in, FunctionUrlServer.MAX_REQUEST)
                    : Http1.readFixed(in, head.contentLength(), FunctionUrlServer.MAX_REQUEST);
            readDeadline = 0;
            return body;
        } catch (IOException e) {
            readDeadline = 0;
            reservation.cancel();
            answerUnreadBody(head, e, in, out);
            return null;
        }
    }

    private void answerUnreadBody(Http1.RequestHead head, IOException e, InputStream in, OutputStream out)
            throws IOException {
        if (timedOut) {
            // checked first: a read cut off by the deadline can look like a malformed chunk
            url.log("408: the request body did not arrive within " + seconds(limits.bodyTimeout())
                    + " s; connection cut off");
            answerAndClose(out, 408, "text/plain", "Request Timeout");
        } else if (e instanceof BodyTooLargeException) {
            refuse(out, in, true, 413, "application/json", tooLarge(), "413: a chunked body over "
                    + FunctionUrlServer.MAX_REQUEST + " bytes", "RequestEntityTooLargeException");
        } else if (e instanceof HttpFormatException malformed) {
            refuse(out, in, true, 400, "text/plain", "Bad Request", "400 " + head.method() + " " + pathOf(head.target())
                    + ": a malformed chunked body: " + malformed.getMessage());
        }
    }

    /** The invocation: its event built, started in the reserved environment, its answer relayed to the client. */
    private boolean invokeAndRelay(Http1.RequestHead head, byte[] body, FunctionPool.Reservation reservation,
                                   ResponseWriter writer) throws IOException {
        String requestId = UUID.randomUUID().toString();
        byte[] event = InvocationEvents.of(request(head, body), url.apiId(), url.port(), requestId, Instant.now());
        Invocation invocation;
        try {
            invocation = invoke(reservation, requestId, event);
        } catch (RuntimeException cannotStart) {
            url.log("502 for " + requestId + ": " + cannotStart.getMessage());
            writer.whole(502, errorHeaders("text/plain", LambdaErrorType.START_FAILED.wireName()), bytes("Internal Server Error"),
                    head.closeRequested());
            return !head.closeRequested();
        }
        try {
            boolean reusable = new InvocationRelay(url, writer, requestId).answer(invocation);
            return reusable && !head.closeRequested();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts the invocation. The cap on bytes waiting for this client is set before the function can write any: a
     * stream's slow client is cut off; a buffered response over it is too large anyway (502).
     */
    private Invocation invoke(FunctionPool.Reservation reservation, String requestId, byte[] event) {
        return url.pool().spec().mode() == InvokeMode.BUFFERED
                ? reservation.invoke(requestId, event, FunctionUrlServer.MAX_BUFFERED_RESPONSE + (long) limits.maxQueuedBytes(),
                        () -> { })
                : reservation.invoke(requestId, event, limits.maxQueuedBytes(), this::cutOff);
    }

    // ---- refusals ----

    /**
     * Answers and closes. When the client may still be sending a body we did not read, its bytes are read
     * and dropped for up to {@link FrontLimits#lingerTimeout()} (never kept), so the answer is not lost to a reset.
     */
    private void refuse(OutputStream out, InputStream in, boolean unreadBody, int status, String type, String body,
                        String logLine) throws IOException {
        refuse(out, in, unreadBody, status, type, body, logLine, null);
    }

    private void refuse(OutputStream out, InputStream in, boolean unreadBody, int status, String type, String body,
                        String logLine, String errorType) throws IOException {
        if (logLine != null) {
            url.log(logLine);
        }
        new ResponseWriter(out, false, true).whole(status, errorHeaders(type, errorType), bytes(body), true);
        if (unreadBody) {
            socket.shutdownOutput();
            readDeadline = deadline(limits.lingerTimeout());
            byte[] sink = new byte[16 * 1024];
            long dropped = 0;
            try {
                int n;
                while (dropped <= FunctionUrlServer.MAX_REQUEST + 65_536L && (n = in.read(sink)) >= 0) {
                    dropped += n;
                }
            } catch (IOException ignored) {
                // the linger ended (deadline) or the client closed: either way, done
            }
            readDeadline = 0;
        }
    }

    private void answerAndClose(OutputStream out, int status, String type, String body) {
        try {
            new ResponseWriter(out, false, true).whole(status, errorHeaders(type, null), bytes(body), true);
        } catch (IOException ignored) {
            // the client is gone: nothing to tell it
        }
    }

    private static List<Map.Entry<String, String>> errorHeaders(String type, String errorType) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Content-Type", type));
        if (errorType != null) {
            headers.add(Map.entry("x-amzn-ErrorType", errorType));
        }
        return headers;
    }

    private static String tooLarge() {
        return "{\"Message\":\"Request must be smaller than " + FunctionUrlServer.MAX_REQUEST
                + " bytes for the InvokeFunction operation\"}";
    }

    // ---- request parts ----

    private static boolean announcesBody(Http1.RequestHead head) {
        if (head.chunked()) {
            return true;
        }
        try {
            return head.contentLength() > 0;
        } catch (HttpFormatException e) {
            return true; // unknown: assume there is something to drop
        }
    }

    private static List<Map.Entry<String, String>> headers(Http1.RequestHead head) {
        return head.fields().lines().stream().map(field -> Map.entry(field.name(), field.value())).toList();
    }

    private static String pathOf(String target) {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    private UrlRequest request(Http1.RequestHead head, byte[] body) {
        return new UrlRequest(head.method(), pathOf(head.target()), rawQuery(head.target()), headers(head), body,
                socket.getInetAddress().getHostAddress(), head.version());
    }

    private static String rawQuery(String target) {
        int query = target.indexOf('?');
        return query < 0 ? "" : target.substring(query + 1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---- deadlines (enforced by the server's watchdog) ----

    private static long deadline(Duration timeout) {
        long at = System.nanoTime() + timeout.toNanos();
        return at == 0 ? 1 : at;
    }

    private static long seconds(Duration duration) {
        return duration.toSeconds();
    }

    /** Called by the watchdog: cuts off a read past its deadline or a write that stalled. */
    void enforce(long now) {
        long read = readDeadline;
        if (read != 0 && now - read > 0) {
            timedOut = true;
            readDeadline = 0;
            try {
                socket.shutdownInput(); // the blocked read sees end of stream; the thread answers 408 and closes
            } catch (IOException e) {
                close();
            }
        }
        long writing = writingSince;
        if (writing != 0 && now - writing > limits.writeStallTimeout().toNanos()) {
            url.log("a response write made no progress for " + seconds(limits.writeStallTimeout())
                    + " s (the client stopped reading); connection closed");
            close();
        }
    }

    /** Used when a slow client's queue overflows: its connection is closed, the invocation goes on. */
    private void cutOff() {
        url.log("a client read too slowly: over " + limits.maxQueuedBytes() + " bytes were waiting for it;"
                + " connection closed, the invocation goes on");
        close();
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** A request head larger than the cap. */
    private static final class HeadTooLarge extends IOException {
        HeadTooLarge(int cap) {
            super("request head over " + cap + " bytes", null);
        }
    }

    /** Counts the bytes of one request head; past the cap, {@link HeadTooLarge}. Http1 reads a head byte by byte. */
    private static final class BoundedInput extends FilterInputStream {
        private final int cap;
        private int read;

        BoundedInput(InputStream in, int cap) {
            super(in);
            this.cap = cap;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++read > cap) {
                throw new HeadTooLarge(cap);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, Math.min(len, Math.max(1, cap + 1 - read)));
            if (n > 0 && (read += n) > cap) {
                throw new HeadTooLarge(cap);
            }
            return n;
        }
    }

    /** Marks when a write to the client began, so the watchdog can see one that does not end. */
    private final class StallWatchedOutput extends FilterOutputStream {
        StallWatchedOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writingSince = deadline(Duration.ZERO);
            try {
                out.write(b, off, len);
            } finally {
                writingSince = 0;
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void flush() throws IOException {
            writingSince = deadline(Duration.ZERO);
            try {
                out.flush();
            } finally {
                writingSince = 0;
            }
        }
    }
}
