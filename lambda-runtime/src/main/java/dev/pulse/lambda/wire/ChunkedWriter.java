package dev.pulse.lambda.wire;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a chunked body: each {@link #chunk} is sent and flushed at once (its size line, data and CRLF in one
 * write when the stream is buffered), and {@link #end} closes the body, with trailer fields or without.
 */
public final class ChunkedWriter {

    private final OutputStream out;
    private boolean ended;

    /** {@code out} should be buffered, so that one chunk leaves in one segment on flush. */
    public ChunkedWriter(OutputStream out) {
        this.out = out;
    }

    /** One chunk, flushed. Empty data is skipped: a zero-size chunk would end the body. */
    public void chunk(byte[] data) throws IOException {
        if (ended) {
            throw new IllegalStateException("the chunked body has ended");
        }
        if (data.length == 0) {
            return;
        }
        out.write(Http1.ascii(Integer.toHexString(data.length)));
        out.write(Http1.CRLF);
        out.write(data);
        out.write(Http1.CRLF);
        out.flush();
    }

    /** The last chunk, then the trailers (none when empty), then the blank line; flushed. */
    public void end(HttpFields trailers) throws IOException {
        if (ended) {
            return;
        }
        ended = true;
        StringBuilder tail = new StringBuilder("0\r\n");
        trailers.lines().forEach(field -> Http1.appendField(tail, field.name(), field.value()));
        out.write(Http1.ascii(tail.append("\r\n").toString()));
        out.flush();
    }
}
