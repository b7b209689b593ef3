package dev.pulse.local.lambda;

/** What an invocation's response does, in order, as the Function URL front consumes it. */
sealed interface Signal {

    /** The runtime began a streamed response ({@code Lambda-Runtime-Function-Response-Mode: streaming}). */
    record StreamStart(String contentType) implements Signal {
    }

    /** Bytes of a streamed response, one HTTP chunk as the runtime sent it. */
    record Chunk(byte[] bytes) implements Signal {
    }

    /** Terminal: a whole (non-streamed) response payload. */
    record Buffered(byte[] payload) implements Signal {
    }

    /** Terminal: the streamed response ended cleanly. */
    record StreamEnd() implements Signal {
    }

    /**
     * Terminal: the invocation failed: a function error (/error, or the error trailers mid-stream), a timeout,
     * a crash, an init error or an oversized response.
     *
     * @param environmentBroken true when the environment cannot be reused (it is killed)
     */
    record Failed(String errorType, String message, boolean environmentBroken) implements Signal {
    }
}
