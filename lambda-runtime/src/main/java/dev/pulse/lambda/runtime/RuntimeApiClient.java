package dev.pulse.lambda.runtime;

import dev.pulse.lambda.wire.Http1;
import dev.pulse.lambda.wire.HttpFields;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.Consumer;

/**
 * The Lambda Runtime API (version 2018-06-01) over plain sockets, one connection per call ({@code Connection:
 * close}): {@code /next} waits for work on its own connection, so any number of workers can wait at once. Plain
 * sockets because a streamed response ends with HTTP trailers, which no JDK HTTP client sends.
 */
final class RuntimeApiClient {

    static final String PREFIX = "/2018-06-01/runtime";
    static final String INVOCATION_ID = "Lambda-Runtime-Invocation-Id";
    /** The error type: a header on {@code /error}, the first trailer of a failed stream. */
    static final String ERROR_TYPE = "Lambda-Runtime-Function-Error-Type";
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    /** Bounds the wait for the answer to a POST; {@code /next} and {@code /restore/next} wait for Lambda, unbounded. */
    static final int REPLY_TIMEOUT_MS = 10_000;
    /** The largest event taken (Lambda's limit for a synchronous invocation is 6 MB). */
    static final int MAX_EVENT = 8 * 1024 * 1024;
    private static final int MAX_REPLY = 64 * 1024;

    private final String host;
    private final int port;
    private final String hostHeader;

    RuntimeApiClient(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("AWS_LAMBDA_RUNTIME_API must be host:port, got " + endpoint);
        }
        this.host = endpoint.substring(0, colon);
        try {
            this.port = Integer.parseInt(endpoint.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("AWS_LAMBDA_RUNTIME_API must be host:port, got " + endpoint);
        }
        this.hostHeader = endpoint;
    }

    /**
     * Waits, without a timeout, for the next invocation. {@code waiting} gets the connection while it waits, so that a
     * drain can close it.
     */
    Invocation next(Consumer<Socket> waiting) throws IOException {
        try (Socket socket = connect()) {
            waiting.accept(socket);
            Http1.Reply reply = get(socket, "/invocation/next", MAX_EVENT);
            String requestId = reply.header("Lambda-Runtime-Aws-Request-Id");
            if (requestId == null || requestId.isBlank()) {
                throw new IOException("GET /invocation/next answered without Lambda-Runtime-Aws-Request-Id");
            }
            Context context = new Context(requestId, reply.header(INVOCATION_ID), deadline(reply),
                    reply.header("Lambda-Runtime-Invoked-Function-Arn"), reply.header("Lambda-Runtime-Trace-Id"),
                    reply.header("Lambda-Runtime-Client-Context"), reply.header("Lambda-Runtime-Cognito-Identity"),
                    reply.header("Lambda-Runtime-Aws-Tenant-Id"));
            return new Invocation(context, reply.body());
        } finally {
            waiting.accept(null);
        }
    }

    private static long deadline(Http1.Reply reply) {
        String value = reply.header("Lambda-Runtime-Deadline-Ms");
        try {
            return value == null ? 0 : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 0;   // no usable deadline: the handler's own limits still end its work
        }
    }

    /** {@code POST /invocation/{id}/response} with the whole payload. */
    void respond(Context context, Response.Buffered response) throws IOException {
        HttpFields.Builder fields = invocationFields(context).add("Content-Type", response.contentType());
        post(responsePath(context), fields, response.body());
    }

    /** A streamed response to {@code context}'s invocation; it connects on its first write. */
    StreamedResponse stream(Context context, Response.Streaming response) {
        return new StreamedResponse(this::connect, hostHeader, responsePath(context), context.invocationId(),
                response.contentType(), response.head());
    }

    /** {@code POST /invocation/{id}/error}: the invocation failed before any response byte. */
    void invocationError(Context context, ErrorReport report) throws IOException {
        postError(PREFIX + "/invocation/" + context.requestId() + "/error", invocationFields(context), report);
    }

    /** {@code POST /init/error}: the function could not start; Lambda then ends this execution environment. */
    void initError(ErrorReport report) throws IOException {
        postError(PREFIX + "/init/error", fields(), report);
    }

    /** {@code GET /restore/next}: SnapStart's handshake; returns once Lambda has restored this environment. */
    void restoreNext() throws IOException {
        try (Socket socket = connect()) {
            get(socket, "/restore/next", MAX_REPLY);
        }
    }

    /** {@code POST /restore/error}: an after-restore hook failed. */
    void restoreError(ErrorReport report) throws IOException {
        postError(PREFIX + "/restore/error", fields(), report);
    }

    private static String responsePath(Context context) {
        return PREFIX + "/invocation/" + context.requestId() + "/response";
    }

    private void postError(String path, HttpFields.Builder fields, ErrorReport report) throws IOException {
        post(path, fields.add("Content-Type", "application/json").add(ERROR_TYPE, report.type()), report.jsonBytes());
    }

    private void post(String path, HttpFields.Builder fields, byte[] body) throws IOException {
        try (Socket socket = connect()) {
            socket.setSoTimeout(REPLY_TIMEOUT_MS);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            Http1.writeHead(out, "POST " + path + " HTTP/1.1",
                    fields.add("Content-Length", Integer.toString(body.length)).build());
            out.write(body);
            out.flush();
            readAnswer(socket, path);
        }
    }

    /** {@code GET PREFIX + path} on {@code socket}: the answer, which must be a 200, its body at most {@code cap} bytes. */
    private Http1.Reply get(Socket socket, String path, int cap) throws IOException {
        OutputStream out = new BufferedOutputStream(socket.getOutputStream());
        Http1.writeHead(out, "GET " + PREFIX + path + " HTTP/1.1", fields().build());
        out.flush();
        Http1.Reply reply = Http1.readReply(new BufferedInputStream(socket.getInputStream()), cap);
        if (reply.status() != 200) {
            throw new IOException("GET " + path + " answered " + reply.status() + ": " + reply.bodyText());
        }
        return reply;
    }

    /**
     * Reads the answer to the POST to {@code path} sent on {@code socket}: a 2xx; a 410 as
     * {@link InvocationGoneException}; anything else an IOException naming the call.
     */
    static void readAnswer(Socket socket, String path) throws IOException {
        Http1.Reply reply = Http1.readReply(new BufferedInputStream(socket.getInputStream()), MAX_REPLY);
        if (reply.status() == 410) {
            throw new InvocationGoneException(path, reply.bodyText());
        }
        if (reply.status() / 100 != 2) {
            throw new IOException("POST " + path + " answered " + reply.status() + ": " + reply.bodyText());
        }
    }

    /** The fields every call sends. */
    private HttpFields.Builder fields() {
        return HttpFields.builder().add("Host", hostHeader).add("Connection", "close");
    }

    /** The fields of a call about one invocation: its invocation id goes back whenever Lambda sent one. */
    private HttpFields.Builder invocationFields(Context context) {
        HttpFields.Builder fields = fields();
        if (context.invocationId() != null) {
            fields.add(INVOCATION_ID, context.invocationId());
        }
        return fields;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);   // every chunk leaves at once
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
