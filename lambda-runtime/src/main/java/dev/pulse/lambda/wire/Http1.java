package dev.pulse.lambda.wire;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 messages on a plain socket, both sides: start lines and fields, bodies framed by a length, by chunks
 * ({@link ChunkedReader}, {@link ChunkedWriter}) or by the connection's end. The one implementation of this wire in
 * the project: the runtime's Runtime API client and the local emulator's servers both use it. Malformed input is an
 * {@link HttpFormatException}, a body over a cap a {@link BodyTooLargeException}, a cut connection an
 * {@link EOFException}: never an unchecked exception.
 */
public final class Http1 {

    public static final byte[] CRLF = {'\r', '\n'};
    /** The longest start line or field line read; a longer one is refused. */
    public static final int MAX_LINE = 64 * 1024;
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]+");

    private Http1() {
    }

    /** A request's start line and fields. */
    public record RequestHead(String method, String target, String version, HttpFields fields) {

        public String header(String name) {
            return fields.get(name);
        }

        public boolean chunked() {
            return Http1.chunked(fields);
        }

        /** The declared Content-Length, 0 when none was sent. */
        public long contentLength() throws HttpFormatException {
            return Http1.contentLength(fields, 0);
        }

        /** The client asked to close the connection after this request (or spoke HTTP/1.0). */
        public boolean closeRequested() {
            String connection = header("connection");
            return connection != null && connection.toLowerCase(Locale.ROOT).contains("close")
                    || "HTTP/1.0".equals(version);
        }

        /** The target's path, without its query. */
        public String path() {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }
    }

    /** A response's status line and fields. */
    public record StatusHead(int status, String reason, HttpFields fields) {

        public String header(String name) {
            return fields.get(name);
        }
    }

    /** A whole response: its head and its body. */
    public record Reply(StatusHead head, byte[] body) {

        public int status() {
            return head.status();
        }

        public String header(String name) {
            return head.header(name);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * One line without its terminator (CRLF, or a bare LF), read as ISO-8859-1 as HTTP heads are; null when the
     * connection ended cleanly before the line began.
     */
    public static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new HttpFormatException("HTTP line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        if (line.size() > 0) {
            throw new EOFException("connection closed inside a line");
        }
        return null;
    }

    /** Field lines up to the blank line that ends them. */
    public static HttpFields readFields(InputStream in) throws IOException {
        HttpFields.Builder fields = HttpFields.builder();
        for (String line = readLine(in); ; line = readLine(in)) {
            if (line == null) {
                throw new EOFException("connection closed inside a header block");
            }
            if (line.isEmpty()) {
                return fields.build();
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new HttpFormatException("bad header line: '" + printable(line) + "'");
            }
            fields.add(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
    }

    /** A request head; null when the connection ended cleanly between requests. Stray blank lines are skipped. */
    public static RequestHead readRequestHead(InputStream in) throws IOException {
        String line = readLine(in);
        while (line != null && line.isEmpty()) {
            line = readLine(in);
        }
        if (line == null) {
            return null;
        }
        String[] parts = line.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new HttpFormatException("bad request line: '" + printable(line) + "'");
        }
        return new RequestHead(parts[0], parts[1], parts[2], readFields(in));
    }

    /** A response head; an {@link EOFException} when the connection ended first. */
    public static StatusHead readStatusHead(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null) {
            throw new EOFException("connection closed before the status line");
        }
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new HttpFormatException("bad status line: '" + printable(line) + "'");
        }
        return new StatusHead(Integer.parseInt(parts[1]), parts.length == 3 ? parts[2] : "", readFields(in));
    }

    /** A whole response whose body is at most {@code cap} bytes; a body with no framing runs to the connection's end. */
    public static Reply readReply(InputStream in, int cap) throws IOException {
        StatusHead head = readStatusHead(in);
        byte[] body;
        if (chunked(head.fields())) {
            body = ChunkedReader.readAll(in, cap);
        } else if (head.header("content-length") != null) {
            body = readFixed(in, contentLength(head.fields(), 0), cap);
        } else {
            body = in.readNBytes(cap + 1);
            if (body.length > cap) {
                throw new BodyTooLargeException(body.length, cap);
            }
        }
        return new Reply(head, body);
    }

    /** A request's body as its fields frame it, at most {@code cap} bytes. */
    public static byte[] readBody(InputStream in, RequestHead head, int cap) throws IOException {
        return head.chunked() ? ChunkedReader.readAll(in, cap) : readFixed(in, head.contentLength(), cap);
    }

    /** Exactly {@code length} bytes; refused unread when over {@code cap}. */
    public static byte[] readFixed(InputStream in, long length, int cap) throws IOException {
        if (length > cap) {
            throw new BodyTooLargeException(length, cap);
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new EOFException("connection closed after " + body.length + " of " + length + " body bytes");
        }
        return body;
    }

    /** True when the fields say the body is chunked. */
    public static boolean chunked(HttpFields fields) {
        String te = fields.get("transfer-encoding");
        return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
    }

    /** The Content-Length, or {@code absent} when there is none; a malformed one is an {@link HttpFormatException}. */
    public static long contentLength(HttpFields fields, long absent) throws HttpFormatException {
        String value = fields.get("content-length");
        if (value == null) {
            return absent;
        }
        String digits = value.strip();
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
            // a repeated header arrives joined ("5,5"), which is refused as well: the length is ambiguous
            throw new HttpFormatException("bad Content-Length: '" + printable(value) + "'");
        }
        return Long.parseLong(digits);
    }

    /** A start line and fields, then the blank line; written, not flushed. */
    public static void writeHead(OutputStream out, String startLine, HttpFields fields) throws IOException {
        StringBuilder head = new StringBuilder(256).append(startLine).append("\r\n");
        fields.lines().forEach(field -> appendField(head, field.name(), field.value()));
        out.write(ascii(head.append("\r\n").toString()));
    }

    /** A whole response with a Content-Length; flushed. */
    public static void writeResponse(OutputStream out, int status, String reason, HttpFields fields, byte[] body)
            throws IOException {
        HttpFields.Builder all = HttpFields.builder();
        fields.lines().forEach(field -> all.add(field.name(), field.value()));
        all.add("Content-Length", Integer.toString(body.length));
        writeHead(out, "HTTP/1.1 " + status + " " + reason, all.build());
        out.write(body);
        out.flush();
    }

    static void appendField(StringBuilder head, String name, String value) {
        // A value must not split the head: a line break in it would start a field of the sender's choosing.
        head.append(name).append(": ").append(LINE_BREAKS.matcher(value).replaceAll(" ")).append("\r\n");
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A line as it may be quoted in a message: control characters shown as '?', at most 100 characters. */
    static String printable(String line) {
        String shown = line.length() > 100 ? line.substring(0, 100) + "..." : line;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
