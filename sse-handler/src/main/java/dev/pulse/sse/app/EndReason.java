package dev.pulse.sse.app;

/**
 * Why a stream ended, as its end line and the StreamsEnded metric name it. The two planned ends keep their wire
 * names in the {@code reconnect} event ({@code max_duration}, {@code deadline}: clients read them); the log names the
 * first after the setting that causes it, {@code SSE_MAX_STREAM_SECONDS}. The two unplanned ends send no reconnect:
 * {@code client_gone} when a write to the response failed (the Runtime API connection broke; a client that merely
 * left is not seen, Lambda keeps the response open), {@code error} when the stream failed (reported in the trailers).
 */
enum EndReason {
    MAX_STREAM("max_stream", "max_duration"),
    DEADLINE("deadline", "deadline"),
    CLIENT_GONE("client_gone", null),
    ERROR("error", null);

    private final String logName;
    private final String wireName;

    EndReason(String logName, String wireName) {
        this.logName = logName;
        this.wireName = wireName;
    }

    /** The name in the end line and the metric's {@code reason} dimension. */
    String logName() {
        return logName;
    }

    /** The {@code reason} of the {@code reconnect} event; null for an end that sends none. */
    String wireName() {
        return wireName;
    }
}
