package dev.pulse.local.lambda;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The few pieces of HTTP/1.1 the Runtime API needs, on a raw socket: request heads, fixed-length and
 * chunked bodies with trailers, and small responses. The JDK's HttpServer decodes chunked request
 * bodies but drops trailers, and the streaming response protocol reports mid-stream errors as trailers.
 */
final class HttpWire {

    private static final int MAX_LINE = 64 * 1024;

    private HttpWire() {
    }

    /** A request line and its headers (names lower-cased). */
    record RequestHead(String method, String target, String version, Map<String, String> headers) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean chunked() {
            String te = header("transfer-encoding");
            return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
        }

        long contentLength() {
            String value = header("content-length");
            return value == null ? 0 : Long.parseLong(value.trim());
        }

        boolean closeRequested() {
            String connection = header("connection");
            return connection != null && connection.equalsIgnoreCase("close") || "HTTP/1.0".equals(version);
        }
    }

    /** Reads a request head; null at a clean end of stream between requests. */
    static RequestHead readHead(InputStream in) throws IOException {
        String requestLine = readLine(in);
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = readLine(in); // tolerate stray CRLF between requests
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3) {
            throw new IOException("malformed request line: " + requestLine);
        }
        return new RequestHead(parts[0], parts[1], parts[2], readFields(in));
    }

    /** Header or trailer fields up to the empty line; names lower-cased, repeated names comma-joined. */
    static Map<String, String> readFields(InputStream in) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            fields.merge(name, value, (a, b) -> a + "," + b);
        }
        if (line == null) {
            throw new EOFException("connection closed inside a header block");
        }
        return fields;
    }

    /** A CRLF- (or LF-) terminated ISO-8859-1 line without its terminator; null at end of stream. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        if (line.size() > 0) {
            throw new EOFException("connection closed inside a line");
        }
        return null;
    }

    /** Reads a fixed-length body; more than {@code cap} bytes → {@link TooLarge} (after draining). */
    static byte[] readFixed(InputStream in, long length, int cap) throws IOException {
        if (length > cap) {
            in.skipNBytes(length);
            throw new TooLarge(length);
        }
        return in.readNBytes((int) length);
    }

    /** Incremental reader of a chunked body: one chunk at a time, then the trailers. */
    static final class ChunkedReader {
        private final InputStream in;
        private Map<String, String> trailers;

        ChunkedReader(InputStream in) {
            this.in = in;
        }

        /** The next chunk's bytes, or null after the last (zero-size) chunk, when {@link #trailers()} are read. */
        byte[] next() throws IOException {
            if (trailers != null) {
                return null;
            }
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new EOFException("connection closed before the last chunk");
            }
            int semicolon = sizeLine.indexOf(';'); // chunk extensions are allowed and ignored
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + sizeLine);
            }
            if (size == 0) {
                trailers = readFields(in);
                return null;
            }
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException("chunk too large: " + size);
            }
            byte[] data = in.readNBytes((int) size);
            if (data.length < size) {
                throw new EOFException("connection closed inside a chunk");
            }
            String end = readLine(in);
            if (end == null || !end.isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
            return data;
        }

        /** Trailer fields (lower-cased names); empty until the last chunk has been read. */
        Map<String, String> trailers() {
            return trailers == null ? Map.of() : trailers;
        }
    }

    /** Reads a whole chunked body; more than {@code cap} bytes → {@link TooLarge} (after draining). */
    static byte[] readChunked(InputStream in, int cap) throws IOException {
        ChunkedReader reader = new ChunkedReader(in);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long total = 0;
        byte[] chunk;
        while ((chunk = reader.next()) != null) {
            total += chunk.length;
            if (total <= cap) {
                body.write(chunk);
            }
        }
        if (total > cap) {
            throw new TooLarge(total);
        }
        return body.toByteArray();
    }

    static void writeResponse(OutputStream out, int status, String reason, Map<String, String> headers, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** A body over its cap; the bytes were consumed so the connection stays usable. */
    static final class TooLarge extends IOException {
        final long size;

        TooLarge(long size) {
            super("body of " + size + " bytes is over the limit");
            this.size = size;
        }
    }
}
