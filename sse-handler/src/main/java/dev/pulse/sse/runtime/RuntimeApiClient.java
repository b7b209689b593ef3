package dev.pulse.sse.runtime;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The Lambda Runtime API ({@code AWS_LAMBDA_RUNTIME_API}, API version 2018-06-01) over plain sockets, one
 * connection per request ({@code Connection: close}). Plain sockets because the streaming response needs
 * HTTP trailers, which no JDK HTTP client can send; the other calls use the same small code for symmetry.
 */
public final class RuntimeApiClient {

    static final String PREFIX = "/2018-06-01/runtime";
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    /** Bounds waiting for the answer to a POST; {@code /next} has no read timeout (it waits for work). */
    static final int REPLY_TIMEOUT_MS = 10_000;

    private final String host;
    private final int port;
    private final String hostHeader;

    public RuntimeApiClient(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("AWS_LAMBDA_RUNTIME_API is not set (host:port of the Lambda Runtime API)");
        }
        String value = endpoint.strip();
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("AWS_LAMBDA_RUNTIME_API must be host:port, got " + value);
        }
        this.host = value.substring(0, colon);
        this.port = Integer.parseInt(value.substring(colon + 1));
        this.hostHeader = value;
    }

    /** Waits (without a timeout) for the next invocation. */
    Invocation next() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(Http1.ascii("GET " + PREFIX + "/invocation/next HTTP/1.1\r\nHost: " + hostHeader
                    + "\r\nConnection: close\r\n\r\n"));
            out.flush();
            Http1.Reply reply = Http1.readReply(new BufferedInputStream(socket.getInputStream()));
            if (reply.status() != 200) {
                throw new IOException("GET /invocation/next answered " + reply.status() + ": "
                        + new String(reply.body(), StandardCharsets.UTF_8));
            }
            String requestId = reply.header("Lambda-Runtime-Aws-Request-Id");
            if (requestId == null || requestId.isBlank()) {
                throw new IOException("GET /invocation/next answered without Lambda-Runtime-Aws-Request-Id");
            }
            String deadline = reply.header("Lambda-Runtime-Deadline-Ms");
            long deadlineMs = 0;
            if (deadline != null) {
                try {
                    deadlineMs = Long.parseLong(deadline.strip());
                } catch (NumberFormatException e) {
                    deadlineMs = 0;   // no usable deadline: the max-duration rule still ends the stream
                }
            }
            return new Invocation(requestId, deadlineMs, reply.header("Lambda-Runtime-Trace-Id"), reply.body());
        }
    }

    /** A response that connects on its first write: until then an error can still go to {@code /error}. */
    StreamingResponse response(String requestId) {
        return new StreamingResponse(this::connect, hostHeader, PREFIX + "/invocation/" + requestId + "/response");
    }

    /** {@code POST /invocation/{id}/error}: the invocation failed before any response byte was sent. */
    void invocationError(String requestId, ErrorReport report) throws IOException {
        postError(PREFIX + "/invocation/" + requestId + "/error", report);
    }

    /** {@code POST /init/error}: the function could not start; Lambda then ends this execution environment. */
    public void initError(Throwable failure) throws IOException {
        postError(PREFIX + "/init/error", ErrorReport.ofInit(failure));
    }

    private void postError(String path, ErrorReport report) throws IOException {
        byte[] body = report.jsonBytes();
        try (Socket socket = connect()) {
            socket.setSoTimeout(REPLY_TIMEOUT_MS);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            out.write(Http1.ascii("POST " + path + " HTTP/1.1\r\nHost: " + hostHeader
                    + "\r\nContent-Type: application/json"
                    + "\r\nLambda-Runtime-Function-Error-Type: " + report.type()
                    + "\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n"));
            out.write(body);
            out.flush();
            Http1.expectAccepted(Http1.readReply(new BufferedInputStream(socket.getInputStream())), path);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);   // every SSE chunk leaves at once
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
