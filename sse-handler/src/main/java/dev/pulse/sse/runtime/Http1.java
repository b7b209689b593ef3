package dev.pulse.sse.runtime;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The little HTTP/1.1 the Runtime API client needs, on plain sockets: reading one response (status, headers,
 * a body framed by Content-Length, chunked encoding, or connection close). Requests are written by the callers.
 */
final class Http1 {

    static final byte[] CRLF = {'\r', '\n'};
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_BODY = 64 * 1024 * 1024;

    private Http1() {
    }

    record Reply(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static Reply readReply(InputStream in) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + statusLine, e);
        }
        Map<String, String> headers = readHeaders(in);
        byte[] body;
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            body = readChunked(in);
        } else if (length != null) {
            int n = Integer.parseInt(length.strip());
            if (n < 0 || n > MAX_BODY) {
                throw new IOException("Content-Length out of range: " + n);
            }
            body = in.readNBytes(n);
            if (body.length != n) {
                throw new EOFException("body ended after " + body.length + " of " + n + " bytes");
            }
        } else {
            body = in.readAllBytes();
        }
        return new Reply(status, headers, body);
    }

    static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line: " + line);
            }
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return headers;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip(), 16);
            if (size == 0) {
                readHeaders(in);   // trailers, unused
                return body.toByteArray();
            }
            if (body.size() + size > MAX_BODY) {
                throw new IOException("chunked body too large");
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new EOFException("chunk ended early");
            }
            body.write(chunk);
            if (!readLine(in).isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    /** One CRLF- (or LF-) terminated line, ISO-8859-1 as HTTP heads are. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the middle of an HTTP head");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("HTTP line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    /** A 2xx, or an IOException naming the call and what the Runtime API said. */
    static void expectAccepted(Reply reply, String path) throws IOException {
        if (reply.status() / 100 != 2) {
            throw new IOException("POST " + path + " answered " + reply.status() + ": "
                    + new String(reply.body(), StandardCharsets.UTF_8));
        }
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
