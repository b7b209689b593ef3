/**
 * The Lambda Runtime API side of the SSE function, and nothing of HTTP routing or streams: the client
 * ({@link dev.pulse.sse.runtime.RuntimeApiClient}), the streaming response with its prelude, 8-NUL delimiter,
 * chunks and error trailers ({@link dev.pulse.sse.runtime.StreamingResponse}), the HTTP/1.1 it needs, the
 * invocation record, the error types, and the loop ({@link dev.pulse.sse.runtime.RuntimeLoop}) that hands each
 * invocation to a {@link dev.pulse.sse.runtime.StreamingHandler}. The lowest layer: it imports nothing from
 * {@code dev.pulse.sse.http} or {@code dev.pulse.sse.app}.
 */
package dev.pulse.sse.runtime;
