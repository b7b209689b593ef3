package dev.pulse.local.lambda;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda Runtime API (2018-06-01) of ONE execution environment, on its own loopback port
 * (the child gets it as AWS_LAMBDA_RUNTIME_API), so every call is known to come from that environment.
 *
 * <p>A raw HTTP/1.1 server: the streaming response ({@code Lambda-Runtime-Function-Response-Mode: streaming})
 * is a chunked request body read chunk by chunk and relayed at once, and its error trailers
 * ({@code Lambda-Runtime-Function-Error-Type}/{@code -Body}) must be seen.
 */
final class RuntimeApiServer implements AutoCloseable {

    /** The runtime API's limit for a buffered response; larger responses fail the invocation. */
    static final int MAX_BUFFERED_RESPONSE = 6 * 1024 * 1024;
    private static final int MAX_ERROR_BODY = 1024 * 1024;

    private static final String PREFIX = "/2018-06-01/runtime";
    private static final Pattern INVOCATION_PATH = Pattern.compile(PREFIX + "/invocation/([^/]+)/(response|error)");

    private final RuntimeApi api;
    private final Consumer<String> log;
    private final ServerSocket socket;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
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
            HttpWire.RequestHead head;
            while ((head = HttpWire.readHead(in)) != null) {
                if ("100-continue".equalsIgnoreCase(head.header("expect"))) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                route(head, in, out);
                if (head.closeRequested()) {
                    return;
                }
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

    private void route(HttpWire.RequestHead head, InputStream in, OutputStream out)
            throws IOException, InterruptedException {
        String path = head.target();
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.equals(PREFIX + "/invocation/next") && head.method().equals("GET")) {
            drain(head, in);
            next(out);
            return;
        }
        if (path.equals(PREFIX + "/init/error") && head.method().equals("POST")) {
            byte[] body = readErrorBody(head, in);
            api.initError(errorType(head.header("lambda-runtime-function-error-type")),
                    new String(body, StandardCharsets.UTF_8));
            accepted(out);
            return;
        }
        Matcher matcher = INVOCATION_PATH.matcher(path);
        if (matcher.matches() && head.method().equals("POST")) {
            Invocation invocation = api.current(matcher.group(1));
            if (invocation == null || !invocation.startResponse()) {
                drain(head, in);
                json(out, 400, "Bad Request", "{\"errorMessage\":\"Invalid request ID: " + matcher.group(1)
                        + "\",\"errorType\":\"InvalidRequestID\"}");
                return;
            }
            if (matcher.group(2).equals("error")) {
                byte[] body = readErrorBody(head, in);
                invocation.failed(errorType(head.header("lambda-runtime-function-error-type")),
                        new String(body, StandardCharsets.UTF_8), false);
                accepted(out);
            } else if ("streaming".equalsIgnoreCase(head.header("lambda-runtime-function-response-mode"))) {
                stream(head, in, out, invocation);
            } else {
                buffered(head, in, out, invocation);
            }
            return;
        }
        drain(head, in);
        json(out, 404, "Not Found", "{\"errorMessage\":\"Unknown Runtime API path " + path.replace("\"", "")
                + "\",\"errorType\":\"NotFound\"}");
    }

    private void next(OutputStream out) throws IOException, InterruptedException {
        Invocation invocation = api.next();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.put("Lambda-Runtime-Deadline-Ms", Long.toString(api.deadlineMillis(invocation)));
        headers.put("Lambda-Runtime-Invoked-Function-Arn", api.functionArn());
        headers.put("Lambda-Runtime-Trace-Id", TraceIds.lambdaTraceHeader());
        HttpWire.writeResponse(out, 200, "OK", headers, invocation.event());
    }

    private void buffered(HttpWire.RequestHead head, InputStream in, OutputStream out, Invocation invocation)
            throws IOException {
        byte[] payload;
        try {
            payload = head.chunked()
                    ? HttpWire.readChunked(in, MAX_BUFFERED_RESPONSE)
                    : HttpWire.readFixed(in, head.contentLength(), MAX_BUFFERED_RESPONSE);
        } catch (HttpWire.TooLarge e) {
            invocation.failed(LambdaErrorType.RESPONSE_SIZE_TOO_LARGE.wireName(), "Response payload size (" + e.size
                    + " bytes) exceeded maximum allowed payload size (" + MAX_BUFFERED_RESPONSE + " bytes).", false);
            json(out, 413, "Payload Too Large", "{\"errorMessage\":\"Exceeded maximum allowed payload size ("
                    + MAX_BUFFERED_RESPONSE + " bytes).\",\"errorType\":\"RequestEntityTooLarge\"}");
            return;
        } catch (IOException e) {
            invocation.failed(LambdaErrorType.RESPONSE_INTERRUPTED.wireName(), "the runtime's response broke off: " + e.getMessage(), true);
            throw new AlreadyReported(e);
        }
        invocation.buffered(payload);
        accepted(out);
    }

    private void stream(HttpWire.RequestHead head, InputStream in, OutputStream out, Invocation invocation)
            throws IOException {
        String contentType = head.header("content-type");
        invocation.streamStarted(contentType == null ? "application/octet-stream" : contentType);
        try {
            if (head.chunked()) {
                HttpWire.ChunkedReader reader = new HttpWire.ChunkedReader(in);
                byte[] chunk;
                while ((chunk = reader.next()) != null) {
                    invocation.chunk(chunk);
                }
                String errorType = reader.trailers().get("lambda-runtime-function-error-type");
                if (errorType != null && !errorType.isBlank()) {
                    invocation.failed(errorType, decodeErrorBody(reader.trailers().get("lambda-runtime-function-error-body")),
                            false);
                } else {
                    invocation.streamEnded();
                }
            } else {
                // a streamed response may also come with a length: relay it as it is read
                long remaining = head.contentLength();
                byte[] buffer = new byte[8192];
                while (remaining > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                    if (n < 0) {
                        throw new java.io.EOFException("connection closed inside the response");
                    }
                    invocation.chunk(java.util.Arrays.copyOf(buffer, n));
                    remaining -= n;
                }
                invocation.streamEnded();
            }
        } catch (IOException e) {
            invocation.failed(LambdaErrorType.STREAM_INTERRUPTED.wireName(),
                    "the runtime's response stream broke off before its last chunk: " + e.getMessage(), true);
            throw new AlreadyReported(e);
        }
        accepted(out);
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

    private static String errorType(String header) {
        return header == null || header.isBlank() ? "Unhandled" : header;
    }

    private static byte[] readErrorBody(HttpWire.RequestHead head, InputStream in) throws IOException {
        try {
            return head.chunked() ? HttpWire.readChunked(in, MAX_ERROR_BODY)
                    : HttpWire.readFixed(in, head.contentLength(), MAX_ERROR_BODY);
        } catch (HttpWire.TooLarge e) {
            return ("error body of " + e.size + " bytes (too large to show)").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static void drain(HttpWire.RequestHead head, InputStream in) throws IOException {
        if (head.chunked()) {
            HttpWire.ChunkedReader reader = new HttpWire.ChunkedReader(in);
            while (reader.next() != null) {
                // discard
            }
        } else {
            in.skipNBytes(head.contentLength());
        }
    }

    private static void accepted(OutputStream out) throws IOException {
        json(out, 202, "Accepted", "{\"status\":\"OK\"}");
    }

    private static void json(OutputStream out, int status, String reason, String body) throws IOException {
        HttpWire.writeResponse(out, status, reason, Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
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
