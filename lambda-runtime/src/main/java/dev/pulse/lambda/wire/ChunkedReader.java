package dev.pulse.lambda.wire;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a chunked body (RFC 9112, section 7.1) one chunk at a time, then its trailer fields. Strict where a
 * mistake would be silent: a size line must be hex digits (an extension after {@code ;} is allowed and ignored),
 * chunk data must be followed by CRLF, and the body may not pass the cap.
 */
public final class ChunkedReader {

    /** Hex digits of the largest chunk size taken (an int's worth is far above any cap here). */
    private static final int MAX_SIZE_DIGITS = 8;

    private final InputStream in;
    private final long cap;
    private long total;
    private HttpFields trailers;

    /** {@code cap}: the most body bytes this reader will take; past it {@link BodyTooLargeException}. */
    public ChunkedReader(InputStream in, long cap) {
        this.in = in;
        this.cap = cap;
    }

    /** A whole chunked body, at most {@code cap} bytes. */
    public static byte[] readAll(InputStream in, long cap) throws IOException {
        ChunkedReader reader = new ChunkedReader(in, cap);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] chunk = reader.next(); chunk != null; chunk = reader.next()) {
            body.write(chunk);
        }
        return body.toByteArray();
    }

    /** The next chunk's bytes; null after the last (zero-size) chunk, when {@link #trailers()} have been read. */
    public byte[] next() throws IOException {
        if (trailers != null) {
            return null;
        }
        String sizeLine = Http1.readLine(in);
        if (sizeLine == null) {
            throw new EOFException("connection closed before the last chunk");
        }
        int size = parseSize(sizeLine);
        if (size == 0) {
            trailers = Http1.readFields(in);
            return null;
        }
        if (total + size > cap) {
            throw new BodyTooLargeException(total + size, cap);
        }
        byte[] data = in.readNBytes(size);
        if (data.length < size) {
            throw new EOFException("connection closed inside a chunk");
        }
        if (in.read() != '\r' || in.read() != '\n') {
            throw new HttpFormatException("chunk data not followed by CRLF");
        }
        total += size;
        return data;
    }

    /** The trailer fields; empty until the last chunk has been read. */
    public HttpFields trailers() {
        return trailers == null ? HttpFields.empty() : trailers;
    }

    static int parseSize(String sizeLine) throws HttpFormatException {
        int semicolon = sizeLine.indexOf(';');
        String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip();
        if (hex.isEmpty() || hex.length() > MAX_SIZE_DIGITS || !hex.chars().allMatch(ChunkedReader::isHexDigit)) {
            throw new HttpFormatException("bad chunk size line: '" + Http1.printable(sizeLine) + "'");
        }
        long size = Long.parseLong(hex, 16);
        if (size > Integer.MAX_VALUE - 16) {
            throw new HttpFormatException("chunk of " + size + " bytes is too large");
        }
        return (int) size;
    }

    private static boolean isHexDigit(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
