package dev.pulse.sse.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.Json;
import dev.pulse.core.telemetry.Level;
import dev.pulse.core.telemetry.Telemetry;
import dev.pulse.testing.EmfDocument;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A busy or long stream's metrics: split over lines of at most 100 samples each, flushed at least once a minute, and
 * every value counted exactly once across its progress lines and its end line.
 */
class StreamLogWindowTest {

    private final List<String> written = new ArrayList<>();
    private final Telemetry telemetry = new Telemetry("sse", "test", Level.INFO, written::add, Clock.systemUTC());

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String w : written) {
            lines.add(Json.parse(w));
        }
        return lines;
    }

    private static long sum(List<JsonNode> lines, String metric) {
        long total = 0;
        for (JsonNode line : lines) {
            JsonNode value = line.path(metric);
            if (value.isArray()) {
                total += value.size();
            } else if (value.isNumber()) {
                total += value.asLong();
            }
        }
        return total;
    }

    @Test
    void manySamplesAreSplitIntoLinesOfAHundredAndNoneIsCountedTwice() throws Exception {
        StreamStats stats = new StreamStats();
        StreamLog log = new StreamLog(telemetry, "req-1", stats, System.nanoTime());
        for (int i = 0; i < 250; i++) {
            stats.polled(1_500_000);
        }
        for (int i = 0; i < 130; i++) {
            stats.event();
            stats.item(40L);
        }
        log.flushIfDue(System.nanoTime());   // full: a progress flush now
        for (int i = 0; i < 30; i++) {
            stats.polled(2_000_000);
        }
        stats.heartbeat();
        log.ended(EndReason.MAX_STREAM, "0000000000000130", null, null, System.nanoTime());

        List<JsonNode> lines = lines();
        for (JsonNode line : lines) {
            assertEquals(List.of(), EmfDocument.problems(line), line::toString);
            assertTrue(line.path("PollLatency").size() <= 100 && line.path("DeliveryLag").size() <= 100, line::toString);
        }
        assertEquals(280, sum(lines, "PollLatency"), "every poll sample once");
        assertEquals(130, sum(lines, "DeliveryLag"), "every lag sample once");
        assertEquals(130, sum(lines, "EventsDelivered"));
        assertEquals(130, sum(lines, "ItemsDelivered"));
        JsonNode end = lines.getLast();
        assertEquals("stream_end", end.path("event").asText());
        assertEquals(130, end.path("events_sent").asLong(), "the end line's fields are the stream's totals");
        assertEquals(1, end.path("heartbeats").asLong());
        assertEquals(30, end.path("PollLatency").size(), "only what came after the last flush");
        assertEquals(2, end.path("PollLatency").get(0).asLong());
        assertFalse(end.has("EventsDelivered") && end.path("EventsDelivered").asLong() != 0);
        assertTrue(lines.subList(0, lines.size() - 1).stream().allMatch(l -> "stream_progress".equals(l.path("event").asText())));
    }

    @Test
    void aQuietStreamFlushesOnceAMinuteAndNotBefore() throws Exception {
        StreamStats stats = new StreamStats();
        long start = System.nanoTime();
        StreamLog log = new StreamLog(telemetry, "req-2", stats, start);
        stats.polled(1_000_000);
        log.flushIfDue(start + StreamLog.FLUSH_EVERY_NANOS - 1);
        assertEquals(0, written.size(), "not yet");
        log.flushIfDue(start + StreamLog.FLUSH_EVERY_NANOS);
        assertEquals(1, written.size());
        JsonNode progress = lines().getFirst();
        assertEquals("stream_progress", progress.path("event").asText());
        assertEquals(1, progress.path("PollLatency").asLong(), "one sample: a number, 1 ms");
        log.flushIfDue(start + StreamLog.FLUSH_EVERY_NANOS + 1);
        assertEquals(1, written.size(), "the next one a minute later");
    }
}
