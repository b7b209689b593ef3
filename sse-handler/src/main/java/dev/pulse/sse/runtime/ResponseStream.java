package dev.pulse.sse.runtime;

import java.io.IOException;
import java.util.Map;

/**
 * Where a handler writes its answer: first the head (the status and headers the Function URL applies), then
 * chunks, each sent at once. Written by one thread.
 */
public interface ResponseStream {

    void writeHead(int status, Map<String, String> headers) throws IOException;

    /** One chunk, flushed at once; empty data is skipped. */
    void writeChunk(byte[] data) throws IOException;

    /** True once any byte went out: from then on a failure can only be reported in the trailers. */
    boolean started();
}
