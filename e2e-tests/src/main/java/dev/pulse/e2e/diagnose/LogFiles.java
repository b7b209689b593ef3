package dev.pulse.e2e.diagnose;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The local stack's log files ({@code <function>_log_file} in its outputs: every line a function wrote) read like a
 * log group: an event's time is its line's {@code timestamp} (or Lambda's {@code time}); a line without one has no
 * time, so no window contains it, like a line no JSON pattern matches.
 */
public final class LogFiles implements LogSource {

    @Override
    public List<LogEvent> events(String group, Instant from, Instant to, FilterPattern pattern, int limit)
            throws LogsUnreadable {
        List<LogEvent> events = new ArrayList<>();
        try (Stream<String> lines = Files.lines(Path.of(group), StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (events.size() >= limit) {
                    break;
                }
                Instant time = time(line);
                if (time != null && !time.isBefore(from) && time.isBefore(to) && pattern.matches(line)) {
                    events.add(new LogEvent(time, group, line));
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new LogsUnreadable(group + " cannot be read: " + e.getMessage(), e);
        }
        return events;
    }

    private static Instant time(String line) {
        JsonNode node = FilterPattern.json(line);
        if (node == null) {
            return null;
        }
        String time = node.hasNonNull("timestamp") ? node.path("timestamp").asText() : node.path("time").asText(null);
        if (time == null) {
            return null;
        }
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
