package dev.pulse.lambda.wire;

/**
 * A body over the reader's cap. It is thrown as soon as a length or a chunk size says so, before those bytes are
 * read: what is left of the body is still on the connection, which the caller drains or closes.
 */
public final class BodyTooLargeException extends HttpFormatException {

    private final long size;

    public BodyTooLargeException(long size, long cap) {
        super("a body of at least " + size + " bytes is over the limit of " + cap);
        this.size = size;
    }

    /** The size announced so far: the whole body's for a fixed length, the chunks' up to the refused one. */
    public long size() {
        return size;
    }
}
