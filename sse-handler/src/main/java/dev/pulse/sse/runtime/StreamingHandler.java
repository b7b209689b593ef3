package dev.pulse.sse.runtime;

import java.io.IOException;

/**
 * What the runtime loop calls for each invocation. It writes its answer to {@code response}; an exception or
 * {@code Error} it throws is reported to the Runtime API by the loop; an {@link IOException} means the response
 * connection broke.
 */
@FunctionalInterface
public interface StreamingHandler {

    void handle(Invocation invocation, ResponseStream response) throws IOException;
}
