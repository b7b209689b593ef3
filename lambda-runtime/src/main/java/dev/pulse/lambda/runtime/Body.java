package dev.pulse.lambda.runtime;

/**
 * The body of a streamed response, written by the runtime's worker after the handler returned. What it throws
 * before its first write goes to {@code /invocation/{id}/error}; after that, into the response's error trailers.
 */
@FunctionalInterface
public interface Body {

    void writeTo(ResponseSink sink) throws Exception;
}
