package dev.pulse.e2e.diagnose;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Summarises both functions' logs over a window with CloudWatch Logs filter patterns on the JSON fields of their lines
 * (docs/operations.md), from CloudWatch or the local stack's files alike: error lines (level ERROR or FATAL, and
 * Lambda's reports of failed or timed-out invocations), the dashboard's 421s, the SSE function's stream end lines by
 * reason, and the DeliveryLag samples of its stream lines.
 */
public final class LogSummaries {

    /** The function's own error lines, and Lambda's report of an invocation that failed or timed out (JSON system logs). */
    static final FilterPattern ERRORS = FilterPattern.parse("{ $.level = \"ERROR\" || $.level = \"FATAL\" || "
            + "($.type = \"platform.report\" && ($.record.status = \"timeout\" || $.record.status = \"failure\" "
            + "|| $.record.status = \"error\")) }");
    static final FilterPattern MISDIRECTED = FilterPattern.parse("{ $.status = 421 }");
    static final FilterPattern STREAMS = FilterPattern.parse("{ $.event = \"stream_end\" || $.event = \"stream_progress\" }");
    static final int LIMIT = 10_000;
    static final int ERROR_SAMPLES = 10;

    private final LogSource source;

    public LogSummaries(LogSource source) {
        this.source = source;
    }

    /** Either group may be null (not in the outputs): it is then left out. */
    public LogSummary summarise(String dashboardGroup, String sseGroup, Instant from, Instant to) {
        List<String> problems = new ArrayList<>();
        List<LogEvent> errors = new ArrayList<>();
        for (String group : new String[] {dashboardGroup, sseGroup}) {
            errors.addAll(read(group, ERRORS, from, to, problems));
        }
        errors.sort(java.util.Comparator.comparing(LogEvent::time));
        List<LogEvent> misdirected = read(dashboardGroup, MISDIRECTED, from, to, problems);
        List<LogEvent> streams = read(sseGroup, STREAMS, from, to, problems);

        Map<String, Long> ends = new TreeMap<>();
        List<Long> lag = new ArrayList<>();
        for (LogEvent event : streams) {
            JsonNode line = FilterPattern.json(event.message());
            if ("stream_end".equals(line.path("event").asText())) {
                ends.merge(line.path("reason").asText("unknown"), 1L, Long::sum);
            }
            JsonNode samples = line.path("DeliveryLag");
            if (samples.isNumber()) {
                lag.add(samples.asLong());
            }
            samples.forEach(v -> lag.add(v.asLong()));
        }
        lag.sort(null);
        boolean capped = errors.size() >= LIMIT || misdirected.size() >= LIMIT || streams.size() >= LIMIT;
        return new LogSummary(from, to, errors.size(), errors.subList(Math.max(0, errors.size() - ERROR_SAMPLES), errors.size()),
                misdirected.size(), ends, lag.size(), percentile(lag, 50), percentile(lag, 99), problems, capped);
    }

    private List<LogEvent> read(String group, FilterPattern pattern, Instant from, Instant to, List<String> problems) {
        if (group == null) {
            return List.of();
        }
        try {
            return source.events(group, from, to, pattern, LIMIT);
        } catch (LogSource.LogsUnreadable e) {
            if (problems.stream().noneMatch(p -> p.startsWith(group + ": "))) {
                problems.add(group + ": " + e.getMessage());   // once per group, whichever query found it first
            }
            return List.of();
        }
    }

    /** Nearest rank: the smallest sample with at least p % of the samples at or below it; null without samples. */
    static Long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
