package dev.pulse.core.telemetry;

import java.util.function.Consumer;

/**
 * The one line a function writes per request: method, path (normalised, without the query, which may hold what
 * a client typed), status, duration, and for an error its code and, for a 5xx, the cause. A 4xx also counts in
 * the {@value #CLIENT_ERRORS} metric by its code. Level: ERROR for a 5xx, WARN for a 421 (a client that sent a
 * stream to the buffered function), INFO otherwise.
 *
 * @param errorCode the answer's {@code error} code, or null
 * @param cause     why a 5xx happened (for the operator; never sent to the client), or null
 */
public record RequestLine(String requestId, String method, String path, int status, String errorCode, String cause,
                          long durationNanos) {

    /** 4xx answers, by {@code error_code}: a metric of both functions. */
    public static final String CLIENT_ERRORS = "ClientErrors";

    public Level level() {
        return status >= 500 ? Level.ERROR : status == 421 ? Level.WARN : Level.INFO;
    }

    /** Writes the line; {@code more} adds what only one function knows (e.g. an ingest's metrics). */
    public void log(Telemetry telemetry, Consumer<LogLine> more) {
        telemetry.log(level(), method + " " + path + " " + status + (errorCode == null ? "" : " " + errorCode), line -> {
            line.requestId(requestId)
                    .field("event", "request")
                    .field("method", method)
                    .field("path", path)
                    .field("status", status)
                    .field("duration_ms", durationNanos / 1e6)
                    .field("error_code", errorCode)
                    .field("error", cause);
            if (status >= 400 && status < 500 && errorCode != null) {
                line.metric("error_code", errorCode, CLIENT_ERRORS, MetricUnit.COUNT, 1);
            }
            more.accept(line);
        });
    }
}
