package dev.pulse.core.telemetry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One log line: a JSON object with {@code timestamp} (RFC 3339, UTC, milliseconds), {@code level}, {@code message},
 * {@code requestId}, {@code function}, {@code environment} and the fields of what happened, in that order. Metrics
 * added to it make it an Embedded Metric Format document as well: an {@code _aws} member with one metric directive
 * per dimension set, and each metric's value (a number, or an array of at most {@value #MAX_VALUES}) as a member
 * of its own. Lambda filters such a line by its {@code level} and keeps {@code timestamp} as the event's time.
 *
 * <p>Field names are snake_case, metric names PascalCase, so a metric's member never overwrites a field. Callers put
 * no item text and no key in it: only ids, counts, codes and durations.
 */
public final class LogLine {

    /** The Embedded Metric Format's limit of values in one metric member. */
    public static final int MAX_VALUES = 100;
    /** The two dimensions of every Pulse metric; a metric may add one more ({@link #metric(String, String, String,
     * MetricUnit, double)}). */
    static final List<String> BASE_DIMENSIONS = List.of(Telemetry.FUNCTION_FIELD, Telemetry.ENVIRONMENT_FIELD);
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private record Metric(String name, MetricUnit unit, double[] values, String dimension) {
    }

    private final Instant time;
    private final Level level;
    private final String message;
    private String requestId;
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final List<Metric> metrics = new ArrayList<>();

    LogLine(Instant time, Level level, String message, String function, String environment) {
        this.time = time.truncatedTo(ChronoUnit.MILLIS);
        this.level = level;
        this.message = message;
        fields.put(Telemetry.FUNCTION_FIELD, function);
        fields.put(Telemetry.ENVIRONMENT_FIELD, environment);
    }

    public LogLine requestId(String id) {
        this.requestId = id;
        return this;
    }

    /** A text field; null values are left out. */
    public LogLine field(String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
        return this;
    }

    public LogLine field(String name, long value) {
        fields.put(name, value);
        return this;
    }

    /** A number with a fraction, e.g. a duration in ms to 0.1 ms; left out when it is not finite. */
    public LogLine field(String name, double value) {
        if (Double.isFinite(value)) {
            fields.put(name, Math.round(value * 10) / 10.0);
        }
        return this;
    }

    public LogLine field(String name, boolean value) {
        fields.put(name, value);
        return this;
    }

    /** A metric with the base dimensions (function, environment). A value that is not finite is left out. */
    public LogLine metric(String name, MetricUnit unit, double value) {
        return metric(name, unit, new double[] {value}, null);
    }

    /**
     * A metric with many values (CloudWatch counts each as a sample, for percentiles); at most {@link #MAX_VALUES},
     * and none means no metric. Values that are not finite are left out.
     */
    public LogLine metric(String name, MetricUnit unit, List<? extends Number> values) {
        if (values.size() > MAX_VALUES) {
            throw new IllegalArgumentException(name + ": " + values.size() + " values, the format allows " + MAX_VALUES);
        }
        return metric(name, unit, values.stream().mapToDouble(Number::doubleValue).toArray(), null);
    }

    /** A metric with one more dimension than the base ones, e.g. StreamsEnded by {@code reason}; also a field. */
    public LogLine metric(String dimension, String dimensionValue, String name, MetricUnit unit, double value) {
        field(dimension, dimensionValue);
        return metric(name, unit, new double[] {value}, dimension);
    }

    private LogLine metric(String name, MetricUnit unit, double[] values, String dimension) {
        double[] finite = java.util.Arrays.stream(values).filter(Double::isFinite).toArray();
        if (finite.length > 0) {
            metrics.add(new Metric(name, unit, finite, dimension));
        }
        return this;
    }

    /** The line as written: one JSON object, no line break. */
    public String toJson() {
        ObjectNode node = Json.object()
                .put("timestamp", TIMESTAMP.format(time))
                .put("level", level.name())
                .put("message", message);
        if (requestId != null) {
            node.put("requestId", requestId);
        }
        fields.forEach((name, value) -> {
            switch (value) {
                case String s -> node.put(name, s);
                case Long l -> node.put(name, l);
                case Boolean b -> node.put(name, b);
                case Double d -> node.put(name, d);
                default -> node.put(name, value.toString());
            }
        });
        if (!metrics.isEmpty()) {
            writeMetrics(node);
        }
        return Json.write(node);
    }

    /** {@code _aws}: the time, and one directive per dimension set; then each metric's member. */
    private void writeMetrics(ObjectNode node) {
        ObjectNode aws = node.putObject("_aws");
        aws.put("Timestamp", time.toEpochMilli());
        ArrayNode directives = aws.putArray("CloudWatchMetrics");
        Map<String, ArrayNode> byDimension = new LinkedHashMap<>();
        for (Metric metric : metrics) {
            String key = metric.dimension() == null ? "" : metric.dimension();
            ArrayNode definitions = byDimension.computeIfAbsent(key, k -> {
                ObjectNode directive = directives.addObject().put("Namespace", Telemetry.NAMESPACE);
                ArrayNode set = directive.putArray("Dimensions").addArray();
                BASE_DIMENSIONS.forEach(set::add);
                if (!k.isEmpty()) {
                    set.add(k);
                }
                return directive.putArray("Metrics");
            });
            definitions.addObject().put("Name", metric.name()).put("Unit", metric.unit().emfName());
            if (metric.values().length == 1) {
                putNumber(node, metric.name(), metric.values()[0]);
            } else {
                ArrayNode values = node.putArray(metric.name());
                for (double v : metric.values()) {
                    addNumber(values, v);
                }
            }
        }
    }

    /** Whole numbers as integers (a duration of 12 ms reads 12, not 12.0). */
    private static void putNumber(ObjectNode node, String name, double value) {
        if (isWhole(value)) {
            node.put(name, (long) value);
        } else {
            node.put(name, value);
        }
    }

    private static void addNumber(ArrayNode array, double value) {
        if (isWhole(value)) {
            array.add((long) value);
        } else {
            array.add(value);
        }
    }

    private static boolean isWhole(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15;
    }
}
