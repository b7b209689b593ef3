package dev.pulse.sse.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Json;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * One streamed invocation response, written by hand as a chunked HTTP/1.1 request:
 * <pre>
 * POST /2018-06-01/runtime/invocation/{id}/response
 * Lambda-Runtime-Function-Response-Mode: streaming
 * Transfer-Encoding: chunked
 * Content-Type: application/vnd.awslambda.http-integration-response
 * Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body
 *
 * chunk 1: {"statusCode":..,"headers":{..},"cookies":[]} + 8 NUL bytes   (the Function URL's status and headers)
 * chunk n: one SSE event (or a whole JSON body), flushed
 * 0 CRLF, then CRLF, or the two error trailers then CRLF
 * </pre>
 * Nothing is connected before the first write, so an error before that can still go to {@code /error}.
 * Not thread-safe: one writer thread owns it.
 */
final class StreamingResponse implements ResponseStream {

    /** Opens a connection to the Runtime API. */
    @FunctionalInterface
    interface Connector {
        Socket open() throws IOException;
    }

    static final String CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";
    static final int DELIMITER_LENGTH = 8;
    static final String ERROR_TYPE_TRAILER = "Lambda-Runtime-Function-Error-Type";
    static final String ERROR_BODY_TRAILER = "Lambda-Runtime-Function-Error-Body";

    private final Connector connector;
    private final String hostHeader;
    private final String path;
    private Socket socket;
    private OutputStream out;
    private boolean headWritten;
    private boolean ended;

    StreamingResponse(Connector connector, String hostHeader, String path) {
        this.connector = connector;
        this.hostHeader = hostHeader;
        this.path = path;
    }

    @Override
    public boolean started() {
        return socket != null;
    }

    /** Sends the prelude (status and headers the Function URL applies) and the 8-NUL delimiter as one chunk. */
    @Override
    public void writeHead(int status, Map<String, String> headers) throws IOException {
        if (headWritten) {
            throw new IllegalStateException("the response head was already written");
        }
        ObjectNode prelude = Json.object().put("statusCode", status);
        ObjectNode h = prelude.putObject("headers");
        headers.forEach(h::put);
        prelude.putArray("cookies");
        byte[] json = Json.write(prelude).getBytes(StandardCharsets.UTF_8);
        byte[] chunk = new byte[json.length + DELIMITER_LENGTH];   // the tail stays all zero: the delimiter
        System.arraycopy(json, 0, chunk, 0, json.length);
        writeChunk(chunk);
        headWritten = true;
    }

    /** One chunk, flushed at once. Empty data is skipped: a zero-size chunk would end the body. */
    @Override
    public void writeChunk(byte[] data) throws IOException {
        if (ended) {
            throw new IllegalStateException("the response has ended");
        }
        if (data.length == 0) {
            return;
        }
        connectIfNeeded();
        out.write(Http1.ascii(Integer.toHexString(data.length)));
        out.write(Http1.CRLF);
        out.write(data);
        out.write(Http1.CRLF);
        out.flush();
    }

    /** Ends the body cleanly and reads the Runtime API's answer. */
    void finish() throws IOException {
        end(new byte[0]);
    }

    /** Ends the body with the error trailers (type, and base64 of {@code {"errorMessage","errorType"}}). */
    void fail(ErrorReport report) throws IOException {
        String body = Base64.getEncoder().encodeToString(report.jsonBytes());
        end(Http1.ascii(ERROR_TYPE_TRAILER + ": " + report.type() + "\r\n" + ERROR_BODY_TRAILER + ": " + body + "\r\n"));
    }

    private void end(byte[] trailers) throws IOException {
        if (ended) {
            return;
        }
        ended = true;
        try {
            connectIfNeeded();
            out.write(Http1.ascii("0\r\n"));
            out.write(trailers);
            out.write(Http1.CRLF);
            out.flush();
            socket.setSoTimeout(RuntimeApiClient.REPLY_TIMEOUT_MS);
            Http1.expectAccepted(Http1.readReply(new BufferedInputStream(socket.getInputStream())), path);
        } finally {
            close();
        }
    }

    /** Drops the connection without ending the body (used when the connection is already broken). */
    void close() {
        ended = true;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken socket: nothing left to do
            }
        }
    }

    private void connectIfNeeded() throws IOException {
        if (socket != null) {
            return;
        }
        socket = connector.open();
        // Buffered so a chunk's size line, data and CRLF leave in one segment on flush.
        out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        out.write(Http1.ascii("POST " + path + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "Lambda-Runtime-Function-Response-Mode: streaming\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "Content-Type: " + CONTENT_TYPE + "\r\n"
                + "Trailer: " + ERROR_TYPE_TRAILER + ", " + ERROR_BODY_TRAILER + "\r\n"
                + "Connection: close\r\n"
                + "\r\n"));
    }
}
