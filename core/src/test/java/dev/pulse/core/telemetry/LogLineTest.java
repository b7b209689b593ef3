package dev.pulse.core.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.Json;
import dev.pulse.testing.EmfDocument;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The line format of docs/operations.md, and its metrics against the Embedded Metric Format specification. */
class LogLineTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:15:30.123456Z");
    private final List<String> written = new ArrayList<>();
    private final Telemetry telemetry = new Telemetry("sse", "preprod", Level.INFO, written::add,
            Clock.fixed(NOW, ZoneOffset.UTC));

    private JsonNode only() throws Exception {
        assertEquals(1, written.size(), written::toString);
        assertFalse(written.get(0).contains("\n"), "one line");
        return Json.parse(written.get(0));
    }

    @Test
    void aPlainLineHasTheFieldsEveryLineHasAndNoMetrics() throws Exception {
        telemetry.log(Level.WARN, "poll failed", line -> line.requestId("req-1").field("failures", 3L).field("tags", "A,B")
                .field("fresh", true).field("absent", (String) null));
        JsonNode line = only();
        assertEquals(List.of("timestamp", "level", "message", "requestId", "function", "environment", "failures", "tags", "fresh"),
                names(line));
        assertEquals("2026-12-02T10:15:30.123Z", line.path("timestamp").asText(), "RFC 3339, UTC, milliseconds");
        assertEquals("WARN", line.path("level").asText());
        assertEquals("sse", line.path("function").asText());
        assertEquals("preprod", line.path("environment").asText());
        assertTrue(line.path("failures").isIntegralNumber());
        assertTrue(line.path("fresh").isBoolean());
        assertFalse(EmfDocument.isEmf(line), "no metrics, no _aws");
    }

    @Test
    void metricsMakeItAValidEmbeddedMetricFormatDocument() throws Exception {
        telemetry.log(Level.INFO, "stream end", line -> line.requestId("req-2")
                .metric("reason", "max_stream", "StreamsEnded", MetricUnit.COUNT, 1)
                .metric("StreamDuration", MetricUnit.MILLISECONDS, 50_003)
                .metric("DeliveryLag", MetricUnit.MILLISECONDS, List.of(120, 340.5, 7))
                .metric("ItemsDelivered", MetricUnit.COUNT, 9));
        JsonNode doc = only();
        assertEquals(List.of(), EmfDocument.problems(doc), doc::toString);

        JsonNode aws = doc.path("_aws");
        assertEquals(NOW.toEpochMilli() / 1000 * 1000 + 123, aws.path("Timestamp").asLong(), "the line's time, in ms");
        JsonNode directives = aws.path("CloudWatchMetrics");
        assertEquals(2, directives.size(), "one directive per dimension set: " + directives);
        JsonNode byReason = directives.get(0);
        assertEquals("Pulse", byReason.path("Namespace").asText());
        assertEquals("[[\"function\",\"environment\",\"reason\"]]", byReason.path("Dimensions").toString());
        assertEquals("[{\"Name\":\"StreamsEnded\",\"Unit\":\"Count\"}]", byReason.path("Metrics").toString());
        JsonNode base = directives.get(1);
        assertEquals("[[\"function\",\"environment\"]]", base.path("Dimensions").toString());
        assertEquals(List.of("StreamDuration", "DeliveryLag", "ItemsDelivered"),
                base.path("Metrics").valueStream().map(m -> m.path("Name").asText()).toList());
        assertEquals("Milliseconds", base.path("Metrics").get(0).path("Unit").asText());

        assertEquals("max_stream", doc.path("reason").asText(), "the extra dimension is a field too");
        assertTrue(doc.path("StreamsEnded").isIntegralNumber(), "a whole value is written as an integer");
        assertEquals(50_003, doc.path("StreamDuration").asLong());
        assertEquals("[120,340.5,7]", doc.path("DeliveryLag").toString(), "many samples: an array of numbers");
    }

    @Test
    void valuesThatAreNotFiniteAreLeftOutAndAMetricWithoutValuesIsNoMetric() throws Exception {
        telemetry.log(Level.INFO, "m", line -> line.metric("A", MetricUnit.COUNT, Double.NaN)
                .metric("B", MetricUnit.MILLISECONDS, List.of())
                .metric("C", MetricUnit.MILLISECONDS, List.of(1.0, Double.POSITIVE_INFINITY, 2.0)));
        JsonNode doc = only();
        assertEquals(List.of(), EmfDocument.problems(doc), doc::toString);
        assertFalse(doc.has("A"));
        assertFalse(doc.has("B"));
        assertEquals("[1,2]", doc.path("C").toString());
        assertEquals(1, doc.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").size());

        written.clear();
        telemetry.log(Level.INFO, "none", line -> line.metric("B", MetricUnit.COUNT, List.of()));
        assertFalse(EmfDocument.isEmf(only()), "no metric left: a plain line");
    }

    @Test
    void moreValuesThanTheFormatAllowsIsRefused() throws Exception {
        List<Integer> values = IntStream.range(0, LogLine.MAX_VALUES + 1).boxed().toList();
        assertThrows(IllegalArgumentException.class,
                () -> telemetry.log(Level.INFO, "x", line -> line.metric("Lag", MetricUnit.MILLISECONDS, values)));
        telemetry.log(Level.INFO, "x", line -> line.metric("Lag", MetricUnit.MILLISECONDS, values.subList(0, LogLine.MAX_VALUES)));
        assertEquals(List.of(), EmfDocument.problems(only()));
        assertEquals(LogLine.MAX_VALUES, only().path("Lag").size());
    }

    @Test
    void aLineBelowTheLevelIsNeverBuilt() {
        List<String> built = Collections.synchronizedList(new ArrayList<>());
        Telemetry quiet = new Telemetry("dashboard", "prod", Level.WARN, written::add, Clock.systemUTC());
        quiet.log(Level.INFO, "request", line -> built.add("info"));
        quiet.log(Level.DEBUG, "poll", line -> built.add("debug"));
        quiet.log(Level.ERROR, "boom", line -> built.add("error"));
        assertEquals(List.of("error"), built);
        assertEquals(1, written.size());
        assertFalse(quiet.enabled(Level.INFO));
        assertTrue(quiet.enabled(Level.FATAL));
    }

    @Test
    void theLevelComesFromLambdasVariableAndTheEnvironmentFromPulses() {
        assertEquals(Level.INFO, Level.fromEnvironment(Map.of()), "Lambda's default");
        assertEquals(Level.DEBUG, Level.fromEnvironment(Map.of("AWS_LAMBDA_LOG_LEVEL", "debug")));
        assertEquals(Level.FATAL, Level.fromEnvironment(Map.of("AWS_LAMBDA_LOG_LEVEL", "FATAL")));
        assertEquals(Level.INFO, Level.fromEnvironment(Map.of("AWS_LAMBDA_LOG_LEVEL", "LOUD")), "unknown: INFO, as Lambda");
        Telemetry t = Telemetry.toStdout("sse", Map.of("PULSE_ENVIRONMENT", " prod "));
        assertEquals("prod", t.environment());
        assertEquals("unknown", Telemetry.toStdout("sse", Map.of()).environment());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
