package dev.pulse.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One function log line made short for a person on the local stack's console (docs/operations.md has the shapes):
 * a request line becomes {@code 12:00:01.234 201 POST /api/v2/items 23.1 ms}, a stream's start and end lines one line
 * each, any other JSON line its level and message; a stream's progress lines (metrics only) are not shown, and a line
 * that is not JSON is shown as it is. Colour (the status, the level) only when asked for.
 */
final class ConsoleLine {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String RESET = "\u001b[0m";
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String CYAN = "\u001b[36m";
    private static final String DIM = "\u001b[2m";

    private final boolean colour;

    ConsoleLine(boolean colour) {
        this.colour = colour;
    }

    /** The console line for one line a function wrote, after its {@code prefix}; null for a line not to show. */
    String format(String prefix, String line) {
        JsonNode node = parse(line);
        if (node == null) {
            return prefix + " " + line;
        }
        String event = node.path("event").asText("");
        String body = switch (event) {
            case "stream_progress" -> null;
            case "request" -> request(node);
            case "stream_start" -> streamStart(node);
            case "stream_end" -> streamEnd(node);
            default -> other(node);
        };
        return body == null ? null : prefix + " " + paint(DIM, time(node)) + " " + body;
    }

    private static JsonNode parse(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private String request(JsonNode n) {
        int status = n.path("status").asInt();
        StringBuilder s = new StringBuilder()
                .append(paint(statusColour(status), Integer.toString(status))).append(' ')
                .append(n.path("method").asText()).append(' ').append(n.path("path").asText()).append(' ')
                .append(millis(n.path("duration_ms").asDouble()));
        if (n.hasNonNull("error_code")) {
            s.append(' ').append(paint(statusColour(status), n.path("error_code").asText()));
        }
        if (n.has("IngestLatency")) {
            s.append(" · ingest ").append(millis(n.path("IngestLatency").asDouble()));
        }
        if (n.hasNonNull("error")) {
            s.append(" · ").append(firstLine(n.path("error").asText()));
        }
        return s.append(requestId(n)).toString();
    }

    private String streamStart(JsonNode n) {
        StringBuilder s = new StringBuilder("stream ▸ ").append(n.path("start").asText());
        if (n.hasNonNull("resumed_from")) {
            s.append(" after ").append(n.path("resumed_from").asText());
        }
        if (n.path("resume_ignored").asBoolean(false)) {
            s.append(" (resume id ignored)");
        }
        if (n.hasNonNull("tags")) {
            s.append(" tags=").append(n.path("tags").asText());
        }
        s.append(String.format(Locale.ROOT, ", ends in %.1f s (%s)", n.path("ends_in_ms").asLong() / 1000.0,
                n.path("planned_end").asText()));
        return s.append(requestId(n)).toString();
    }

    private String streamEnd(JsonNode n) {
        String reason = n.path("reason").asText();
        String colourOfReason = switch (reason) {
            case "error" -> RED;
            case "client_gone" -> YELLOW;
            default -> GREEN;
        };
        StringBuilder s = new StringBuilder("stream ■ ").append(paint(colourOfReason, reason))
                .append(String.format(Locale.ROOT, " %.1f s · %d events · %d items · %d heartbeats",
                        n.path("duration_ms").asLong() / 1000.0, n.path("events_sent").asLong(),
                        n.path("items_sent").asLong(), n.path("heartbeats").asLong()));
        List<Long> lag = new ArrayList<>();
        JsonNode lags = n.path("DeliveryLag");
        if (lags.isNumber()) {
            lag.add(lags.asLong());
        }
        lags.forEach(v -> lag.add(v.asLong()));
        if (!lag.isEmpty()) {
            lag.sort(null);
            s.append(" · lag p50 ").append(lag.get((lag.size() - 1) / 2)).append(" ms");
        }
        if (n.path("poll_failures").asLong() > 0) {
            s.append(" · ").append(paint(YELLOW, n.path("poll_failures").asLong() + " poll failures"));
        }
        s.append(" · last ").append(n.path("last_event_id").asText("-"));
        if (n.hasNonNull("error")) {
            s.append(" · ").append(firstLine(n.path("error").asText()));
        }
        return s.append(requestId(n)).toString();
    }

    /** Any other line with a level and a message: ours, the runtime interface client's, Lambda's. */
    private String other(JsonNode n) {
        String level = n.path("level").asText("INFO");
        String message = n.path("message").asText(n.toString());
        String first = firstLine(message);
        long more = message.lines().count() - 1;
        StringBuilder s = new StringBuilder(paint(levelColour(level), level)).append(' ').append(first);
        if (more > 0) {
            s.append(paint(DIM, " (+" + more + " lines: PULSE_LOG_FORMAT=json or the log file)"));
        }
        if (n.hasNonNull("error")) {
            s.append(" · ").append(firstLine(n.path("error").asText()));
        }
        return s.append(requestId(n)).toString();
    }

    private String requestId(JsonNode n) {
        String id = n.hasNonNull("requestId") ? n.path("requestId").asText() : n.path("AWSRequestId").asText("");
        return id.isEmpty() ? "" : paint(DIM, " req " + (id.length() > 8 ? id.substring(0, 8) : id));
    }

    /** HH:mm:ss.SSS of the line's RFC 3339 time ({@code timestamp}; {@code time} on Lambda's own lines). */
    private static String time(JsonNode n) {
        String t = n.hasNonNull("timestamp") ? n.path("timestamp").asText() : n.path("time").asText("");
        return t.length() >= 23 && t.charAt(10) == 'T' ? t.substring(11, 23) : "            ";
    }

    private static String millis(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("").strip();
    }

    private static String statusColour(int status) {
        return status >= 500 ? RED : status >= 400 ? YELLOW : status >= 300 ? CYAN : GREEN;
    }

    private static String levelColour(String level) {
        return switch (level) {
            case "ERROR", "FATAL" -> RED;
            case "WARN" -> YELLOW;
            default -> DIM;
        };
    }

    private String paint(String code, String text) {
        return colour ? code + text + RESET : text;
    }
}
