package dev.pulse.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A Lambda Function URL on a loopback port: each HTTP request becomes one invocation of the function
 * (payload format 2.0 event), answered according to the URL's invoke mode.
 *
 * <ul>
 *   <li>{@link InvokeMode#BUFFERED}: nothing is sent until the invocation ends; then the payload 2.0 response
 *       (or a streamed response's prelude + body) is sent whole; over 6 MB, an error or a timeout → 502;</li>
 *   <li>{@link InvokeMode#RESPONSE_STREAM}: the prelude's status, headers and cookies are sent as soon as the
 *       8 NUL delimiter arrives, then every chunk as it arrives; an error after that aborts the connection
 *       (the client sees a truncated response) and is logged;</li>
 *   <li>every allowed environment busy → 429 at once.</li>
 * </ul>
 * A client that goes away does not stop the invocation; its socket is freed and the bytes are dropped.
 */
final class FunctionUrlServer implements AutoCloseable {

    static final int MAX_REQUEST = 6 * 1024 * 1024;
    static final int MAX_BUFFERED_RESPONSE = 6 * 1024 * 1024;
    static final String HTTP_INTEGRATION = "application/vnd.awslambda.http-integration-response";
    private static final int MAX_PRELUDE = 64 * 1024;
    private static final byte[] DELIMITER = new byte[8];
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final FunctionPool pool;
    private final InvokeMode mode;
    private final Consumer<String> log;
    private final String apiId;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    FunctionUrlServer(FunctionPool pool, int port, Consumer<String> log) {
        this.pool = pool;
        this.mode = pool.spec().mode();
        this.log = log;
        this.apiId = pool.spec().name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on 127.0.0.1:" + port + " for " + pool.spec().name()
                    + " (is the port in use? set another one, or 0 for any free port)", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The URL, ending with '/' like a real Function URL. */
    URI url() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean abort = false;
        try {
            byte[] body = exchange.getRequestBody().readNBytes(MAX_REQUEST + 1);
            if (body.length > MAX_REQUEST) {
                sendError(exchange, 413, "RequestEntityTooLargeException",
                        "{\"Message\":\"Request must be smaller than " + MAX_REQUEST + " bytes for the InvokeFunction operation\"}");
                return;
            }
            String requestId = UUID.randomUUID().toString();
            byte[] event = MAPPER.writeValueAsBytes(FunctionUrlEvent.of(request(exchange, body), apiId, port(),
                    requestId, Instant.now()));
            Invocation invocation;
            try {
                invocation = pool.invoke(requestId, event);
            } catch (FunctionPool.ThrottledException e) {
                log.accept(pool.spec().logPrefix() + " 429 " + exchange.getRequestMethod() + " "
                        + exchange.getRequestURI().getRawPath() + ": " + e.getMessage());
                sendError(exchange, 429, "TooManyRequestsException", "{\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\","
                        + "\"Type\":\"User\",\"message\":\"Rate Exceeded.\"}");
                return;
            } catch (RuntimeException cannotStart) {
                log.accept(pool.spec().logPrefix() + " 502 for " + requestId + ": " + cannotStart.getMessage());
                sendError(exchange, 502, "Runtime.StartFailed", "Internal Server Error");
                return;
            }
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            if (mode == InvokeMode.BUFFERED) {
                buffered(exchange, invocation);
            } else {
                streamed(exchange, invocation);
            }
        } catch (AbortConnection e) {
            abort = true;
            throw e; // the server closes the connection without the terminating chunk
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!abort) {
                exchange.close();
            }
        }
    }

    private static UrlRequest request(HttpExchange exchange, byte[] body) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.add(Map.entry(name, v))));
        URI uri = exchange.getRequestURI();
        return new UrlRequest(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body,
                exchange.getRemoteAddress().getAddress().getHostAddress(), exchange.getProtocol());
    }

    // ---- BUFFERED: wait for the end, then answer whole ----

    private void buffered(HttpExchange exchange, Invocation invocation) throws IOException, InterruptedException {
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        String streamType = null;
        boolean tooLarge = false;
        while (true) {
            Signal signal = invocation.next();
            switch (signal) {
                case Signal.StreamStart start -> streamType = start.contentType();
                case Signal.Chunk chunk -> {
                    if (!tooLarge && collected.size() + chunk.bytes().length > MAX_BUFFERED_RESPONSE) {
                        tooLarge = true;
                        collected = new ByteArrayOutputStream();
                    } else if (!tooLarge) {
                        collected.write(chunk.bytes());
                    }
                }
                case Signal.Buffered whole -> {
                    answer(exchange, invocation, whole.payload());
                    return;
                }
                case Signal.StreamEnd end -> {
                    if (tooLarge) {
                        fail(exchange, invocation, "Function.ResponseSizeTooLarge",
                                "the streamed response is over the " + MAX_BUFFERED_RESPONSE + "-byte limit of a BUFFERED URL");
                    } else if (isHttpIntegration(streamType)) {
                        answerIntegration(exchange, invocation, collected.toByteArray());
                    } else {
                        answer(exchange, invocation, collected.toByteArray());
                    }
                    return;
                }
                case Signal.Failed failed -> {
                    fail(exchange, invocation, failed.errorType(), failed.message());
                    return;
                }
            }
        }
    }

    private void answer(HttpExchange exchange, Invocation invocation, byte[] payload) throws IOException {
        try {
            send(exchange, UrlResponse.fromPayload(payload));
        } catch (UrlResponse.MalformedResponse e) {
            fail(exchange, invocation, "Function.MalformedResponse", e.getMessage());
        }
    }

    /** A streamed http-integration-response, buffered: prelude + 8 NULs + body, sent whole. */
    private void answerIntegration(HttpExchange exchange, Invocation invocation, byte[] bytes) throws IOException {
        int split = indexOf(bytes, bytes.length);
        try {
            if (split < 0) {
                throw new UrlResponse.MalformedResponse("the streamed response has no 8-NUL delimiter after its prelude");
            }
            UrlResponse head = UrlResponse.fromPrelude(Arrays.copyOfRange(bytes, 0, split));
            send(exchange, head.withBody(Arrays.copyOfRange(bytes, split + DELIMITER.length, bytes.length)));
        } catch (UrlResponse.MalformedResponse e) {
            fail(exchange, invocation, "Function.MalformedResponse", e.getMessage());
        }
    }

    // ---- RESPONSE_STREAM: relay as it comes ----

    private void streamed(HttpExchange exchange, Invocation invocation) throws IOException, InterruptedException {
        Signal first = invocation.next();
        switch (first) {
            case Signal.Buffered whole -> answer(exchange, invocation, whole.payload());
            case Signal.Failed failed -> fail(exchange, invocation, failed.errorType(), failed.message());
            case Signal.StreamStart start -> relay(exchange, invocation, start.contentType());
            case Signal.Chunk chunk -> relay(exchange, invocation, null); // cannot happen: chunks follow a start
            case Signal.StreamEnd end -> send(exchange, new UrlResponse(200, List.of(), new byte[0]));
        }
    }

    private void relay(HttpExchange exchange, Invocation invocation, String contentType)
            throws IOException, InterruptedException {
        byte[] pending = new byte[0];
        if (isHttpIntegration(contentType)) {
            // Collect until the prelude's delimiter: only then are status and headers known.
            ByteArrayOutputStream prelude = new ByteArrayOutputStream();
            int split = -1;
            while (split < 0) {
                Signal signal = invocation.next();
                if (signal instanceof Signal.Chunk chunk) {
                    prelude.write(chunk.bytes());
                    byte[] sofar = prelude.toByteArray();
                    split = indexOf(sofar, sofar.length);
                    if (split < 0 && sofar.length > MAX_PRELUDE) {
                        invocation.abandon();
                        fail(exchange, invocation, "Function.MalformedResponse",
                                "no 8-NUL delimiter within the first " + MAX_PRELUDE + " bytes of the streamed response");
                        return;
                    }
                } else if (signal instanceof Signal.Failed failed) {
                    fail(exchange, invocation, failed.errorType(), failed.message());
                    return;
                } else {
                    fail(exchange, invocation, "Function.MalformedResponse",
                            "the streamed response ended without the 8-NUL delimiter after its prelude");
                    return;
                }
            }
            byte[] sofar = prelude.toByteArray();
            UrlResponse head;
            try {
                head = UrlResponse.fromPrelude(Arrays.copyOfRange(sofar, 0, split));
            } catch (UrlResponse.MalformedResponse e) {
                invocation.abandon();
                fail(exchange, invocation, "Function.MalformedResponse", e.getMessage());
                return;
            }
            head.headers().forEach(h -> exchange.getResponseHeaders().add(h.getKey(), h.getValue()));
            exchange.sendResponseHeaders(head.status(), 0);
            pending = Arrays.copyOfRange(sofar, split + DELIMITER.length, sofar.length);
        } else {
            exchange.getResponseHeaders().set("Content-Type", contentType == null ? "application/octet-stream" : contentType);
            exchange.sendResponseHeaders(200, 0);
        }
        OutputStream out = exchange.getResponseBody();
        try {
            if (pending.length > 0) {
                out.write(pending);
                out.flush();
            }
            while (true) {
                Signal signal = invocation.next();
                if (signal instanceof Signal.Chunk chunk) {
                    out.write(chunk.bytes());
                    out.flush();
                } else if (signal instanceof Signal.Failed failed) {
                    log.accept(pool.spec().logPrefix() + " stream " + invocation.requestId() + " ended by an error: "
                            + failed.errorType() + ": " + failed.message());
                    throw new AbortConnection();
                } else {
                    return; // StreamEnd: the terminating chunk is written when the exchange closes
                }
            }
        } catch (IOException clientGone) {
            // As on Lambda, the invocation goes on; we only stop relaying and free the socket.
            invocation.abandon();
            log.accept(pool.spec().logPrefix() + " client left stream " + invocation.requestId()
                    + "; the invocation continues until the function ends it");
        }
    }

    /** Thrown after the headers were sent, so that the server drops the connection without a final chunk. */
    private static final class AbortConnection extends RuntimeException {
        AbortConnection() {
            super("stream aborted by a function error", null, false, false);
        }
    }

    // ---- shared ----

    private static boolean isHttpIntegration(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(HTTP_INTEGRATION);
    }

    /** Index of the first 8 consecutive NUL bytes in bytes[0, length), or -1. */
    static int indexOf(byte[] bytes, int length) {
        int run = 0;
        for (int i = 0; i < length; i++) {
            run = bytes[i] == 0 ? run + 1 : 0;
            if (run == DELIMITER.length) {
                return i - DELIMITER.length + 1;
            }
        }
        return -1;
    }

    private void fail(HttpExchange exchange, Invocation invocation, String errorType, String message) throws IOException {
        log.accept(pool.spec().logPrefix() + " 502 for " + invocation.requestId() + ": " + errorType + ": " + message);
        sendError(exchange, 502, errorType, "Internal Server Error");
    }

    private static void sendError(HttpExchange exchange, int status, String errorType, String body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
        exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
        send(exchange, new UrlResponse(status, List.of(), body.getBytes(StandardCharsets.UTF_8)));
    }

    private static void send(HttpExchange exchange, UrlResponse response) throws IOException {
        response.headers().forEach(h -> exchange.getResponseHeaders().add(h.getKey(), h.getValue()));
        byte[] body = response.body();
        boolean noBody = body.length == 0 || exchange.getRequestMethod().equals("HEAD")
                || response.status() == 204 || response.status() == 304;
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
