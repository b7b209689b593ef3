package dev.pulse.lambda.runtime;

import dev.pulse.lambda.wire.Json;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the runtime says what happened to it: a failed invocation, a refused response, a lost Runtime API, a drain.
 * A function that has its own log format passes its own; {@link #jsonLines} writes one JSON object per line, the
 * shape of Lambda's JSON log format.
 */
@FunctionalInterface
public interface RuntimeLog {

    enum Level { DEBUG, INFO, WARN, ERROR, FATAL }

    /**
     * @param event     what happened, a stable name: {@code invocation_failed}, {@code response_failed},
     *                  {@code invocation_gone}, {@code report_failed}, {@code init_failed}, {@code runtime_stopped},
     *                  {@code worker_stopped}, {@code draining}
     * @param requestId the invocation's, or null
     * @param fields    more about it ({@code error}, {@code error_type}, {@code stack}); may be empty
     */
    void log(Level level, String event, String message, String requestId, Map<String, String> fields);

    /** One JSON line per event: timestamp, level, message, requestId, event and the fields. */
    static RuntimeLog jsonLines(PrintStream out) {
        return (level, event, message, requestId, fields) -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("timestamp", Instant.now().toString());
            line.put("level", level.name());
            line.put("message", message);
            if (requestId != null) {
                line.put("requestId", requestId);
            }
            line.put("event", event);
            line.putAll(fields);
            out.println(Json.write(line));
        };
    }

    /** The whole stack trace of {@code error}, for a {@code stack} field. */
    static String stackOf(Throwable error) {
        StringWriter stack = new StringWriter();
        error.printStackTrace(new PrintWriter(stack));
        return stack.toString();
    }
}
