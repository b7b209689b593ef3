package dev.pulse.e2e.diagnose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local stack's log files read like log groups: by the lines' own time, through the same patterns. */
class LogFilesTest {

    @Test
    void aSummaryOfTheFilesCountsTheWindowOnly(@TempDir Path dir) throws Exception {
        Path dashboard = Files.writeString(dir.resolve("dashboard.log"), String.join("\n",
                "{\"timestamp\":\"2026-12-02T10:00:00.000Z\",\"level\":\"WARN\",\"status\":421}",
                "{\"timestamp\":\"2026-12-02T10:20:00.000Z\",\"level\":\"WARN\",\"status\":421}",
                "{\"timestamp\":\"2026-12-02T10:20:01.000Z\",\"level\":\"ERROR\",\"message\":\"GET /health 503\",\"requestId\":\"r1\","
                        + "\"error\":\"store unavailable\"}",
                "Picked up JAVA_TOOL_OPTIONS: not JSON, no time",
                "{\"timestamp\":\"2026-12-02T10:40:00.000Z\",\"level\":\"WARN\",\"status\":421}") + "\n");
        Path sse = Files.writeString(dir.resolve("sse.log"),
                "{\"timestamp\":\"2026-12-02T10:21:00.000Z\",\"level\":\"INFO\",\"event\":\"stream_end\",\"reason\":\"deadline\","
                        + "\"DeliveryLag\":[10,30]}\n");
        LogSummary summary = new LogSummaries(new LogFiles()).summarise(dashboard.toString(), sse.toString(),
                Instant.parse("2026-12-02T10:10:00Z"), Instant.parse("2026-12-02T10:30:00Z"));
        assertEquals(1, summary.misdirected(), "the 421 at 10:20 only");
        assertEquals(1, summary.errors());
        assertTrue(LogSummary.describe(summary.errorSamples().getFirst())
                .endsWith("dashboard.log ERROR GET /health 503 · store unavailable (request r1)"), summary::toString);
        assertEquals(Map.of("deadline", 1L), summary.streamEnds());
        assertEquals(10L, summary.lagP50());
        assertEquals(30L, summary.lagP99());
        assertEquals(List.of(), summary.problems());

        LogSummary gone = new LogSummaries(new LogFiles()).summarise(dir.resolve("nope.log").toString(), null,
                Instant.EPOCH, Instant.now());
        assertEquals(1, gone.problems().size(), gone::toString);
    }

    @Test
    void percentilesAreNearestRank() {
        assertEquals(null, LogSummaries.percentile(List.of(), 50));
        assertEquals(2L, LogSummaries.percentile(List.of(1L, 2L, 3L, 4L), 50));
        assertEquals(4L, LogSummaries.percentile(List.of(1L, 2L, 3L, 4L), 99));
        assertEquals(7L, LogSummaries.percentile(List.of(7L), 99));
    }
}
