package dev.pulse.local.lambda;

import dev.pulse.lambda.wire.BodyTooLargeException;
import dev.pulse.lambda.wire.ChunkedReader;
import dev.pulse.lambda.wire.Http1;
import dev.pulse.lambda.wire.HttpFields;
import dev.pulse.lambda.wire.HttpFormatException;
import dev.pulse.lambda.wire.Json;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda Runtime API (2018-06-01) of ONE execution environment, on its own loopback port
 * (the child gets it as AWS_LAMBDA_RUNTIME_API), so every call is known to come from that environment.
 *
 * <p>A raw HTTP/1.1 server on the project's codec ({@code dev.pulse.lambda.wire}): the streaming response
 * ({@code Lambda-Runtime-Function-Response-Mode: streaming}) is a chunked request body read chunk by chunk and relayed
 * at once, and its error trailers ({@code Lambda-Runtime-Function-Error-Type}/{@code -Body}) must be seen.
 *
 * <p>Each invocation handed out on {@code /next} carries a {@code Lambda-Runtime-Invocation-Id}. A response or an
 * error that sends it back must send that one; one that sends none (an older runtime) is matched by its request id
 * alone, as Lambda does. A response or an error for an invocation that has timed out is answered {@code 410 Gone}.
 *
 * <p>SnapStart's two calls are answered when they are the environment's next step ({@link RuntimeApi#restoreNext()},
 * {@link RuntimeApi#restoreError}): {@code GET /restore/next} with an empty 200, {@code POST /restore/error} with 202;
 * out of turn (no SnapStart, a second handshake, after init), {@code 403 InvalidStateTransition}, as Lambda answers a
 * call its state does not allow.
 */
final class RuntimeApiServer implements AutoCloseable {

    /** The runtime API's limit for a buffered response; larger responses fail the invocation. */
    static final int MAX_BUFFERED_RESPONSE = 6 * 1024 * 1024;
    static final String INVOCATION_ID = "Lambda-Runtime-Invocation-Id";
    private static final int MAX_ERROR_BODY = 1024 * 1024;
    /** A body this server does not use is read and dropped up to this size; past it the connection is closed. */
    private static final int MAX_DROPPED_BODY = MAX_BUFFERED_RESPONSE;
    /** After an answer that leaves a body unread, how long what the runtime goes on sending is dropped before closing. */
    private static final int LINGER_MILLIS = 1000;

    private static final String PREFIX = "/2018-06-01/runtime";
    private static final Pattern INVOCATION_PATH = Pattern.compile(PREFIX + "/invocation/([^/]+)/(response|error)");

    private final RuntimeApi api;
    private final Consumer<String> log;
    private final ServerSocket socket;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final HandedOutInvocations handedOut = new HandedOutInvocations();
    /** Whether this environment's runtime sends the invocation id back: null until its first response or error. */
    private volatile Boolean runtimeEchoesInvocationId;
    private final AtomicBoolean toldNoEcho = new AtomicBoolean();
    private volatile boolean closed;

    RuntimeApiServer(RuntimeApi api, Consumer<String> log) throws IOException {
        this.api = api;
        this.log = log;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("runtime-api-accept-" + socket.getLocalPort()).start(this::acceptLoop);
    }

    /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** Whether the runtime sent the invocation id back with its last response or error; null before the first. */
    Boolean runtimeEchoesInvocationId() {
        return runtimeEchoesInvocationId;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket connection = socket.accept();
                connections.add(connection);
                Thread.ofVirtual().name("runtime-api-conn").start(() -> serve(connection));
            } catch (IOException e) {
                if (!closed) {
                    log.accept("runtime API accept failed: " + e.getMessage());
                }
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = new BufferedOutputStream(connection.getOutputStream());
            try {
                Http1.RequestHead head;
                while ((head = Http1.readRequestHead(in)) != null) {
                    if (!route(Exchange.of(connection, head, in, out)) || head.closeRequested()) {
                        return;
                    }
                }
            } catch (HttpFormatException malformed) {
                log.accept("runtime API: a malformed request, answered 400: " + malformed.getMessage());
                answer(out, 400, "Bad Request", error(malformed.getMessage(), "BadRequest"), true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SocketException | AlreadyReported closedUnderUs) {
            // the environment or the stack is shutting down, or the runtime died: nothing to answer
        } catch (IOException e) {
            if (!closed) {
                log.accept("runtime API connection failed: " + e.getMessage());
            }
        } finally {
            connections.remove(connection);
        }
    }

    /** @return true when the connection can carry another request */
    private boolean route(Exchange x) throws IOException, InterruptedException {
        Http1.RequestHead head = x.head();
        String path = head.path();
        if (path.equals(PREFIX + "/invocation/next") && head.method().equals("GET")) {
            if (!dropBody(x)) {
                return refuseUnread(x, 413, "Payload Too Large", tooLarge(MAX_DROPPED_BODY));
            }
            next(x.out());
            return true;
        }
        if (path.equals(PREFIX + "/init/error") && head.method().equals("POST")) {
            ErrorBody body = readErrorBody(x);
            api.initError(errorType(head.header("lambda-runtime-function-error-type")), body.text());
            return accepted(x, body.kept());
        }
        if (path.equals(PREFIX + "/restore/next") && head.method().equals("GET")) {
            if (!dropBody(x)) {
                return refuseUnread(x, 413, "Payload Too Large", tooLarge(MAX_DROPPED_BODY));
            }
            if (!api.restoreNext()) {
                return outOfTurn(x, "RestoreReady", true);
            }
            // Lambda answers once it has restored the snapshot in a new environment: an empty 200.
            Http1.writeResponse(x.out(), 200, "OK", HttpFields.builder().build(), new byte[0]);
            return true;
        }
        if (path.equals(PREFIX + "/restore/error") && head.method().equals("POST")) {
            ErrorBody body = readErrorBody(x);
            if (!api.restoreError(errorType(head.header("lambda-runtime-function-error-type")), body.text())) {
                return outOfTurn(x, "RestoreError", body.kept());
            }
            return accepted(x, body.kept());
        }
        Matcher matcher = INVOCATION_PATH.matcher(path);
        if (matcher.matches() && head.method().equals("POST")) {
            return invocationAnswer(x, matcher.group(1), matcher.group(2).equals("error"));
        }
        return refuse(x, 404, "Not Found", error("Unknown Runtime API path " + path, "NotFound"));
    }

    private void next(OutputStream out) throws IOException, InterruptedException {
        Invocation invocation = api.next();
        handedOut.add(invocation); // before the runtime can answer it
        HttpFields fields = HttpFields.builder()
                .add("Content-Type", "application/json")
                .add("Lambda-Runtime-Aws-Request-Id", invocation.requestId())
                .add(INVOCATION_ID, invocation.invocationId())
                .add("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineMillis()))
                .add("Lambda-Runtime-Invoked-Function-Arn", api.functionArn())
                .add("Lambda-Runtime-Trace-Id", TraceIds.lambdaTraceHeader())
                .build();
        Http1.writeResponse(out, 200, "OK", fields, invocation.event());
    }

    /** {@code POST /invocation/{requestId}/response} or {@code /error}. */
    private boolean invocationAnswer(Exchange x, String requestId, boolean isError) throws IOException {
        String echoed = x.head().header(INVOCATION_ID);
        noteEcho(echoed != null);
        Invocation invocation;
        switch (handedOut.find(requestId, echoed)) {
            case HandedOutInvocations.Found.TimedOut timedOut -> {
                return tooLate(x, requestId, null);
            }
            case HandedOutInvocations.Found.Unknown unknown -> {
                return refuse(x, 400, "Bad Request", invalidRequestId(requestId, echoed));
            }
            case HandedOutInvocations.Found.InHand inHand -> invocation = inHand.invocation();
        }
        if (!invocation.startResponse()) {
            // answered already, or ended: by its timeout (410), or otherwise (a crash, a second answer)
            return invocation.timedOut() ? tooLate(x, requestId, null)
                    : refuse(x, 400, "Bad Request", invalidRequestId(requestId, echoed));
        }
        if (isError) {
            return errorReport(x, invocation);
        }
        return streaming(x.head()) ? stream(x, invocation) : buffered(x, invocation);
    }

    private boolean errorReport(Exchange x, Invocation invocation) throws IOException {
        ErrorBody body;
        try {
            body = readErrorBody(x);
        } catch (IOException e) {
            return broken(x, invocation, LambdaErrorType.RESPONSE_INTERRUPTED, "error report", e);
        }
        boolean taken = invocation.failed(errorType(x.head().header("lambda-runtime-function-error-type")),
                body.text(), false);
        return taken || !invocation.timedOut() ? accepted(x, body.kept())
                : tooLate(x, invocation.requestId(), body.kept());
    }

    private boolean buffered(Exchange x, Invocation invocation) throws IOException {
        byte[] payload;
        try {
            payload = Http1.readBody(x.body(), x.head(), MAX_BUFFERED_RESPONSE);
        } catch (BodyTooLargeException e) {
            // Refused unread: the codec does not read past a cap, so this connection cannot carry another request.
            invocation.failed(LambdaErrorType.RESPONSE_SIZE_TOO_LARGE.wireName(), "Response payload size ("
                    + (x.head().chunked() ? "over " : "") + e.size() + " bytes) exceeded maximum allowed payload size ("
                    + MAX_BUFFERED_RESPONSE + " bytes).", false);
            return refuseUnread(x, 413, "Payload Too Large", tooLarge(MAX_BUFFERED_RESPONSE));
        } catch (IOException e) {
            return broken(x, invocation, LambdaErrorType.RESPONSE_INTERRUPTED, "response", e);
        }
        return invocation.buffered(payload) || !invocation.timedOut() ? accepted(x, true)
                : tooLate(x, invocation.requestId(), true);
    }

    private boolean stream(Exchange x, Invocation invocation) throws IOException {
        String contentType = x.head().header("content-type");
        invocation.streamStarted(contentType == null ? "application/octet-stream" : contentType);
        boolean ended;
        try {
            if (x.head().chunked()) {
                // No cap: a stream's size is the function's business (the front bounds what waits for a client).
                ChunkedReader reader = new ChunkedReader(x.body(), Long.MAX_VALUE);
                for (byte[] chunk = reader.next(); chunk != null; chunk = reader.next()) {
                    invocation.chunk(chunk);
                }
                HttpFields trailers = reader.trailers();
                String errorType = trailers.get("lambda-runtime-function-error-type");
                ended = errorType != null && !errorType.isBlank()
                        ? invocation.failed(errorType, decodeErrorBody(trailers.get("lambda-runtime-function-error-body")), false)
                        : invocation.streamEnded();
            } else {
                // a streamed response may also come with a length: relay it as it is read
                long remaining = x.head().contentLength();
                byte[] buffer = new byte[8192];
                while (remaining > 0) {
                    int n = x.body().read(buffer, 0, (int) Math.min(buffer.length, remaining));
                    if (n < 0) {
                        throw new EOFException("connection closed inside the response");
                    }
                    invocation.chunk(Arrays.copyOf(buffer, n));
                    remaining -= n;
                }
                ended = invocation.streamEnded();
            }
        } catch (IOException e) {
            return broken(x, invocation, LambdaErrorType.STREAM_INTERRUPTED, "response stream", e);
        }
        return ended || !invocation.timedOut() ? accepted(x, true) : tooLate(x, invocation.requestId(), true);
    }

    /**
     * A response or error whose body broke off or is not HTTP: the invocation fails and the environment is not reused.
     * Malformed framing is answered 400 (the runtime may read why); a cut connection has no one left to answer.
     */
    private boolean broken(Exchange x, Invocation invocation, LambdaErrorType type, String what, IOException e)
            throws IOException {
        if (e instanceof HttpFormatException malformed) {
            invocation.failed(type.wireName(), "the runtime's " + what + " is not valid HTTP: " + malformed.getMessage(),
                    true);
            return refuseUnread(x, 400, "Bad Request", error(malformed.getMessage(), "BadRequest"));
        }
        invocation.failed(type.wireName(), "the runtime's " + what + " broke off" + (type == LambdaErrorType.STREAM_INTERRUPTED
                ? " before its last chunk" : "") + ": " + e.getMessage(), true);
        throw new AlreadyReported(e);
    }

    private void noteEcho(boolean echoed) {
        runtimeEchoesInvocationId = echoed;
        if (!echoed && toldNoEcho.compareAndSet(false, true)) {
            log.accept("the runtime does not send " + INVOCATION_ID + " back; responses are matched by request id only");
        }
    }

    // ---- answers ----

    private static boolean accepted(Exchange x, boolean bodyRead) throws IOException {
        return afterBody(x, 202, "Accepted", Json.write(Map.of("status", "OK")).getBytes(StandardCharsets.UTF_8),
                bodyRead);
    }

    /**
     * 410: the invocation timed out before this response or error came ({@code bodyRead} null: its body is not read
     * yet), or while it was coming.
     */
    private boolean tooLate(Exchange x, String requestId, Boolean bodyRead) throws IOException {
        log.accept("an answer for invocation " + requestId + " came after it timed out: 410 Gone");
        api.answeredAfterTimeout(requestId);
        return bodyRead == null ? refuse(x, 410, "Gone", gone()) : afterBody(x, 410, "Gone", gone(), bodyRead);
    }

    /** The answer once the body has been read, or (when {@code bodyRead} is false) left unread: then it closes. */
    private static boolean afterBody(Exchange x, int status, String reason, byte[] body, boolean bodyRead)
            throws IOException {
        if (!bodyRead) {
            return refuseUnread(x, status, reason, body);
        }
        answer(x.out(), status, reason, body, false);
        return true;
    }

    /**
     * 403 for a SnapStart call that is not this environment's next step (Lambda's {@code InvalidStateTransition}): the
     * restore handshake of a function without SnapStart, a second one, or one after init ended. The request's body
     * has been read ({@code bodyRead}) or was too large to (then the connection closes).
     */
    private static boolean outOfTurn(Exchange x, String state, boolean bodyRead) throws IOException {
        return afterBody(x, 403, "Forbidden", error("State transition to " + state + " failed for runtime: not this "
                + "execution environment's next step (SnapStart's restore handshake comes once, at the end of init, "
                + "and only with AWS_LAMBDA_INITIALIZATION_TYPE=snap-start)", "InvalidStateTransition"), bodyRead);
    }

    private static byte[] gone() {
        return error("Invoke timeout: the invocation already timed out", "ErrorRuntimeInvokeTimeout");
    }

    private static byte[] invalidRequestId(String requestId, String echoedInvocationId) {
        return error("Invalid request ID: " + requestId
                + (echoedInvocationId == null ? "" : " (invocation ID " + echoedInvocationId + ")"), "InvalidRequestID");
    }

    /**
     * Answers a request whose body this server does not use. The body is read and dropped when it can be (up to
     * {@link #MAX_DROPPED_BODY}), keeping the connection; a streamed one, or one over that size, is left unread and
     * the connection is closed after the answer.
     */
    private static boolean refuse(Exchange x, int status, String reason, byte[] body) throws IOException {
        if (streaming(x.head()) || !dropBody(x)) {
            return refuseUnread(x, status, reason, body);
        }
        answer(x.out(), status, reason, body, false);
        return true;
    }

    /** Answers now, with what is left of the body unread; the connection then closes. */
    private static boolean refuseUnread(Exchange x, int status, String reason, byte[] body) throws IOException {
        answer(x.out(), status, reason, body, true);
        linger(x);
        return false;
    }

    /**
     * Reads and drops what the runtime goes on sending, for a moment, after an answer that left its body unread: closing
     * with unread bytes would reset the connection, and the runtime could lose the answer.
     */
    private static void linger(Exchange x) {
        try {
            x.socket().shutdownOutput();
            x.socket().setSoTimeout(LINGER_MILLIS);
            long until = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
            byte[] sink = new byte[16 * 1024];
            while (System.nanoTime() - until < 0 && x.in().read(sink) >= 0) {
                // dropped
            }
        } catch (IOException ignored) {
            // the linger ended (time) or the runtime closed: either way, done
        }
    }

    /** Reads and drops a request's body; false when it is over {@link #MAX_DROPPED_BODY} (then left unread). */
    private static boolean dropBody(Exchange x) throws IOException {
        try {
            if (x.head().chunked()) {
                ChunkedReader reader = new ChunkedReader(x.body(), MAX_DROPPED_BODY);
                while (reader.next() != null) {
                    // dropped
                }
                return true;
            }
            long length = x.head().contentLength();
            if (length > MAX_DROPPED_BODY) {
                return false;
            }
            x.body().skipNBytes(length);
            return true;
        } catch (BodyTooLargeException e) {
            return false;
        }
    }

    private static void answer(OutputStream out, int status, String reason, byte[] json, boolean close)
            throws IOException {
        HttpFields.Builder fields = HttpFields.builder().add("Content-Type", "application/json");
        if (close) {
            fields.add("Connection", "close");
        }
        Http1.writeResponse(out, status, reason, fields.build(), json);
    }

    private static byte[] error(String message, String type) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("errorMessage", message);
        error.put("errorType", type);
        return Json.write(error).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] tooLarge(int cap) {
        return error("Exceeded maximum allowed payload size (" + cap + " bytes).", "RequestEntityTooLarge");
    }

    // ---- bodies ----

    /** An error report's text; {@code kept} is false when it was too large to read (the connection then closes). */
    private record ErrorBody(String text, boolean kept) {
    }

    private static ErrorBody readErrorBody(Exchange x) throws IOException {
        try {
            return new ErrorBody(new String(Http1.readBody(x.body(), x.head(), MAX_ERROR_BODY), StandardCharsets.UTF_8),
                    true);
        } catch (BodyTooLargeException e) {
            return new ErrorBody("error body of " + (x.head().chunked() ? "over " : "") + e.size()
                    + " bytes (too large to show)", false);
        }
    }

    private static String decodeErrorBody(String trailer) {
        if (trailer == null) {
            return "";
        }
        try {
            return new String(Base64.getDecoder().decode(trailer.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return trailer;
        }
    }

    private static boolean streaming(Http1.RequestHead head) {
        return "streaming".equalsIgnoreCase(head.header("lambda-runtime-function-response-mode"));
    }

    private static String errorType(String header) {
        return header == null || header.isBlank() ? "Unhandled" : header;
    }

    /**
     * One request on a connection. Its body is read through {@code body}, which sends {@code 100 Continue} first when
     * the runtime asked for it (the RIC's native client does): a request answered without reading its body (a 413
     * from its length) gets no {@code 100 Continue}, so the runtime does not send a body it is refused for.
     */
    private record Exchange(Socket socket, Http1.RequestHead head, InputStream in, OutputStream out, InputStream body) {

        static Exchange of(Socket socket, Http1.RequestHead head, InputStream in, OutputStream out) {
            boolean expects = "100-continue".equalsIgnoreCase(head.header("expect"));
            return new Exchange(socket, head, in, out, expects ? new ContinueOnRead(in, out) : in);
        }
    }

    /** Sends {@code 100 Continue} before the first byte of a body is read. */
    private static final class ContinueOnRead extends FilterInputStream {
        private final OutputStream out;
        private boolean sent;

        ContinueOnRead(InputStream in, OutputStream out) {
            super(in);
            this.out = out;
        }

        private void sendContinue() throws IOException {
            if (!sent) {
                sent = true;
                out.write(Http1.ascii("HTTP/1.1 100 Continue\r\n\r\n"));
                out.flush();
            }
        }

        @Override
        public int read() throws IOException {
            sendContinue();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            sendContinue();
            return super.read(b, off, len);
        }

        @Override
        public long skip(long n) throws IOException {
            sendContinue();
            return super.skip(n);
        }
    }

    /** A broken connection whose invocation already failed (and was logged): just drop the connection. */
    private static final class AlreadyReported extends IOException {
        AlreadyReported(IOException cause) {
            super(cause);
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
        for (Socket connection : connections) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
