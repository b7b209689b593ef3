package dev.pulse.lambda.runtime;

import dev.pulse.lambda.wire.ChunkedWriter;
import dev.pulse.lambda.wire.Http1;
import dev.pulse.lambda.wire.HttpFields;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.Base64;

/**
 * One streamed response, the Runtime API's response-streaming protocol as a chunked HTTP/1.1 request:
 * <pre>
 * POST /2018-06-01/runtime/invocation/{id}/response
 * Lambda-Runtime-Function-Response-Mode: streaming
 * Transfer-Encoding: chunked
 * Content-Type: (the response's)
 * Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body
 * Lambda-Runtime-Invocation-Id: (when Lambda sent one)
 *
 * chunk 1: the response's head, when it has one (an HTTP prelude and its 8 NUL bytes)
 * chunk n: one write of the body, flushed
 * 0 CRLF, then CRLF; or the two error trailers, then CRLF
 * </pre>
 * Nothing is connected before the body's first write, so a failure before it can still go to {@code /error}. One
 * thread writes.
 */
final class StreamedResponse implements ResponseSink {

    /** Opens a connection to the Runtime API. */
    @FunctionalInterface
    interface Connector {
        Socket open() throws IOException;
    }

    static final String ERROR_BODY_TRAILER = "Lambda-Runtime-Function-Error-Body";
    /** How long a broken write waits for the Runtime API's own answer, which says why (a 410, say). */
    private static final int EXPLAIN_TIMEOUT_MS = 200;

    private final Connector connector;
    private final String hostHeader;
    private final String path;
    private final String invocationId;
    private final String contentType;
    private final byte[] head;
    private Socket socket;
    private ChunkedWriter chunks;
    /** The connection's own failure: set when a write or the end broke, so it is not mistaken for the body's. */
    private IOException broken;

    StreamedResponse(Connector connector, String hostHeader, String path, String invocationId, String contentType,
                     byte[] head) {
        this.connector = connector;
        this.hostHeader = hostHeader;
        this.path = path;
        this.invocationId = invocationId;
        this.contentType = contentType;
        this.head = head;
    }

    /** True once the response is on the wire: from then on a failure can only go into the trailers. */
    boolean started() {
        return socket != null;
    }

    /** The IOException a write or the end threw because the connection broke; null while it is whole. */
    IOException broken() {
        return broken;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            return;
        }
        try {
            connectIfNeeded();
            chunks.chunk(bytes);
        } catch (IOException e) {
            throw brokenBy(e);
        }
    }

    /** Ends the body cleanly and reads the Runtime API's answer (a 410 is an {@link InvocationGoneException}). */
    void finish() throws IOException {
        end(HttpFields.empty());
    }

    /** Ends the body with the error trailers: the type, and base64 of {@code {"errorMessage","errorType"}}. */
    void fail(ErrorReport report) throws IOException {
        end(HttpFields.builder()
                .add(RuntimeApiClient.ERROR_TYPE, report.type())
                .add(ERROR_BODY_TRAILER, Base64.getEncoder().encodeToString(report.jsonBytes()))
                .build());
    }

    private void end(HttpFields trailers) throws IOException {
        try {
            connectIfNeeded();
            chunks.end(trailers);
            socket.setSoTimeout(RuntimeApiClient.REPLY_TIMEOUT_MS);
            RuntimeApiClient.readAnswer(socket, path);
        } catch (InvocationGoneException e) {
            broken = e;
            throw e;
        } catch (IOException e) {
            throw brokenBy(e);
        } finally {
            close();
        }
    }

    /** Drops the connection, ended or not. */
    void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken socket: nothing left to do
            }
        }
    }

    /** Records the connection's failure, and says why when the Runtime API answered before it broke (a 410). */
    private IOException brokenBy(IOException failure) {
        IOException reason = failure;
        if (socket != null && !socket.isClosed()) {
            try {
                socket.setSoTimeout(EXPLAIN_TIMEOUT_MS);
                RuntimeApiClient.readAnswer(socket, path);
            } catch (InvocationGoneException gone) {
                reason = gone;
            } catch (IOException | RuntimeException noAnswer) {
                // no answer to read: the connection just broke
            }
        }
        broken = reason;
        return reason;
    }

    private void connectIfNeeded() throws IOException {
        if (socket != null) {
            return;
        }
        socket = connector.open();
        // Buffered so a chunk's size line, data and CRLF leave in one segment on flush.
        BufferedOutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        HttpFields.Builder fields = HttpFields.builder()
                .add("Host", hostHeader)
                .add("Lambda-Runtime-Function-Response-Mode", "streaming")
                .add("Transfer-Encoding", "chunked")
                .add("Content-Type", contentType)
                .add("Trailer", RuntimeApiClient.ERROR_TYPE + ", " + ERROR_BODY_TRAILER);
        if (invocationId != null) {
            fields.add(RuntimeApiClient.INVOCATION_ID, invocationId);
        }
        Http1.writeHead(out, "POST " + path + " HTTP/1.1", fields.add("Connection", "close").build());
        chunks = new ChunkedWriter(out);
        if (head.length > 0) {
            chunks.chunk(head);
        }
    }
}
