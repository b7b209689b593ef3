package dev.pulse.e2e.diagnose;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What both functions' logs say about a time window (docs/operations.md): the error lines (a few shown), the 421s
 * (stream requests sent to the dashboard), how streams ended, by reason, and the delivery lag's p50 and p99 (a
 * new_item's write time to its send). {@code problems} names a log group that could not be read; {@code capped} says a
 * count stopped at the query limit.
 */
public record LogSummary(Instant from, Instant to, long errors, List<LogEvent> errorSamples, long misdirected,
                         Map<String, Long> streamEnds, int lagSamples, Long lagP50, Long lagP99, List<String> problems,
                         boolean capped) {

    public LogSummary {
        errorSamples = List.copyOf(errorSamples);
        streamEnds = Map.copyOf(streamEnds);
        problems = List.copyOf(problems);
    }

    public long streamsEnded() {
        return streamEnds.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Indented lines, for diagnose's report and a failed e2e test's output. */
    public String render(String indent) {
        StringBuilder s = new StringBuilder();
        long minutes = Duration.between(from, to).toMinutes();
        s.append(indent).append("logs ").append(from.truncatedTo(ChronoUnit.SECONDS)).append(" .. ")
                .append(to.truncatedTo(ChronoUnit.SECONDS))
                .append(minutes > 0 ? " (" + minutes + " min)" : "").append(capped ? " (counts capped at the query limit)" : "")
                .append('\n');
        problems.forEach(p -> s.append(indent).append("  not read: ").append(p).append('\n'));
        s.append(indent).append("  error lines: ").append(errors).append('\n');
        errorSamples.forEach(e -> s.append(indent).append("    ").append(describe(e)).append('\n'));
        s.append(indent).append("  421 misdirected stream requests: ").append(misdirected).append('\n');
        s.append(indent).append("  streams ended: ").append(streamsEnded());
        if (!streamEnds.isEmpty()) {
            s.append(" (").append(streamEnds.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))).append(')');
        }
        s.append('\n');
        s.append(indent).append("  delivery lag (new_item written → sent): ");
        if (lagSamples == 0) {
            s.append("no live items delivered");
        } else {
            s.append("p50 ").append(lagP50).append(" ms, p99 ").append(lagP99).append(" ms (").append(lagSamples).append(" items)");
        }
        return s.append('\n').toString();
    }

    /** One error line, short: time, where, level, message, error, request id. */
    static String describe(LogEvent event) {
        JsonNode line = FilterPattern.json(event.message());
        String where = event.group().substring(event.group().lastIndexOf('/') + 1);
        if (line == null) {
            return event.time() + " " + where + " " + event.message();
        }
        String level = line.path("level").asText(line.path("type").asText(""));
        String message = line.hasNonNull("message") ? line.path("message").asText()
                : line.path("record").path("status").asText(line.toString());
        StringBuilder s = new StringBuilder().append(event.time()).append(' ').append(where).append(' ').append(level)
                .append(' ').append(message.lines().findFirst().orElse(""));
        if (line.hasNonNull("error")) {
            s.append(" · ").append(line.path("error").asText().lines().findFirst().orElse(""));
        }
        String id = line.hasNonNull("requestId") ? line.path("requestId").asText()
                : line.path("AWSRequestId").asText(line.path("record").path("requestId").asText(""));
        return id.isEmpty() ? s.toString() : s.append(" (request ").append(id).append(')').toString();
    }
}
