package dev.pulse.local.lambda;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes one HTTP/1.1 response on a client connection: whole (with {@code Content-Length}) or streamed
 * (chunked, each chunk flushed as it comes). Framing headers are this class's business: the ones a function
 * sets ({@code Content-Length}, {@code Transfer-Encoding}, {@code Connection}...) are dropped, as a Function
 * URL does.
 */
final class ResponseWriter {

    private static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "trailer", "te", "date");
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(100, "Continue"), Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(202, "Accepted"),
            Map.entry(204, "No Content"), Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"),
            Map.entry(304, "Not Modified"), Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"),
            Map.entry(408, "Request Timeout"), Map.entry(413, "Content Too Large"),
            Map.entry(415, "Unsupported Media Type"), Map.entry(421, "Misdirected Request"),
            Map.entry(422, "Unprocessable Content"), Map.entry(429, "Too Many Requests"),
            Map.entry(431, "Request Header Fields Too Large"), Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"),
            Map.entry(505, "HTTP Version Not Supported"));
    private static final byte[] CRLF = {'\r', '\n'};

    private final OutputStream out;
    private final boolean headRequest;
    private final boolean http11;
    private boolean chunked;

    /**
     * @param out         the connection's (buffered) output
     * @param headRequest a HEAD request: headers only, never a body
     * @param http11      the client speaks HTTP/1.1 (chunked streams); else a stream ends with the connection
     */
    ResponseWriter(OutputStream out, boolean headRequest, boolean http11) {
        this.out = out;
        this.headRequest = headRequest;
        this.http11 = http11;
    }

    /** A whole response; {@code close} adds {@code Connection: close} (the caller then closes). */
    void whole(int status, List<Map.Entry<String, String>> headers, byte[] body, boolean close) throws IOException {
        boolean noBody = status == 204 || status == 304 || (status >= 100 && status < 200);
        StringBuilder head = statusLine(status, headers, close);
        if (!noBody) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!noBody && !headRequest) {
            out.write(body);
        }
        out.flush();
    }

    /**
     * The head of a streamed response. Without HTTP/1.1 (or for HEAD) there is no chunked framing: the
     * body, if any, ends when the connection does, so the caller must close afterwards.
     *
     * @return true when the connection can be kept after {@link #end()}
     */
    boolean startStream(int status, List<Map.Entry<String, String>> headers, boolean close) throws IOException {
        chunked = http11 && !headRequest;
        StringBuilder head = statusLine(status, headers, close || !chunked);
        if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return chunked && !close;
    }

    /** False for a HEAD request: the headers are the whole answer. */
    boolean hasBody() {
        return !headRequest;
    }

    /** One chunk of a stream, flushed at once (an SSE event must not wait for the next). */
    void chunk(byte[] bytes) throws IOException {
        if (headRequest || bytes.length == 0) {
            return;
        }
        if (chunked) {
            out.write(Integer.toHexString(bytes.length).getBytes(StandardCharsets.ISO_8859_1));
            out.write(CRLF);
            out.write(bytes);
            out.write(CRLF);
        } else {
            out.write(bytes);
        }
        out.flush();
    }

    /** The clean end of a stream (the last, empty chunk). An aborted stream never gets it. */
    void end() throws IOException {
        if (chunked) {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.flush();
    }

    /** {@code 100 Continue}: the client may now send the body it announced with {@code Expect}. */
    void sendContinue() throws IOException {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static StringBuilder statusLine(int status, List<Map.Entry<String, String>> headers, boolean close) {
        StringBuilder head = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ')
                .append(REASONS.getOrDefault(status, "")).append("\r\n");
        head.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .append("\r\n");
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey();
            if (HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) || !safe(name) || !safe(header.getValue())) {
                continue; // framing is ours; a CR or LF would split the response
            }
            head.append(name).append(": ").append(header.getValue()).append("\r\n");
        }
        if (close) {
            head.append("Connection: close\r\n");
        }
        return head;
    }

    private static boolean safe(String text) {
        return text != null && text.indexOf('\r') < 0 && text.indexOf('\n') < 0;
    }
}
