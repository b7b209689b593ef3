package dev.pulse.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a log line against CloudWatch's "Specification: Embedded metric format" (the document structure: root
 * node, metadata object, MetricDirective, DimensionSet, MetricDefinition, target members), so a test fails on a line
 * CloudWatch Logs would not turn into metrics, or would reject. Each rule below is one of the specification's.
 */
public final class EmfDocument {

    /** MetricDefinition {@code Unit}: the values the specification lists. */
    public static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");
    static final int MAX_METRICS = 100;
    static final int MAX_DIMENSIONS = 30;
    static final int MAX_VALUES = 100;
    static final int MAX_NAME = 1024;
    private static final Set<String> METADATA_MEMBERS = Set.of("Timestamp", "CloudWatchMetrics", "LogGroupName", "LogStreamName");
    private static final Set<String> DIRECTIVE_MEMBERS = Set.of("Namespace", "Dimensions", "Metrics");
    private static final Set<String> DEFINITION_MEMBERS = Set.of("Name", "Unit", "StorageResolution");

    private EmfDocument() {
    }

    /** True when the line is meant as a metric document (it has the {@code _aws} member). */
    public static boolean isEmf(JsonNode line) {
        return line.isObject() && line.has("_aws");
    }

    /** Every way the document breaks the specification; empty when CloudWatch would extract its metrics. */
    public static List<String> problems(JsonNode root) {
        List<String> problems = new ArrayList<>();
        if (!root.isObject()) {
            problems.add("the root node must be a JSON object");
            return problems;
        }
        JsonNode aws = root.path("_aws");
        if (!aws.isObject()) {
            problems.add("_aws must be an object (the metadata object)");
            return problems;
        }
        for (Map.Entry<String, JsonNode> member : aws.properties()) {
            if (!METADATA_MEMBERS.contains(member.getKey())) {
                problems.add("_aws has a member the specification does not define: " + member.getKey());
            }
        }
        JsonNode timestamp = aws.path("Timestamp");
        if (!timestamp.isIntegralNumber() || timestamp.asLong() <= 0) {
            problems.add("_aws.Timestamp must be a number of milliseconds since the epoch, got " + timestamp);
        }
        JsonNode directives = aws.path("CloudWatchMetrics");
        if (!directives.isArray() || directives.isEmpty()) {
            problems.add("_aws.CloudWatchMetrics must be an array of MetricDirective objects, got " + directives);
            return problems;
        }
        Set<String> metricNames = new HashSet<>();
        for (int i = 0; i < directives.size(); i++) {
            directive(root, directives.get(i), "CloudWatchMetrics[" + i + "]", metricNames, problems);
        }
        return problems;
    }

    private static void directive(JsonNode root, JsonNode directive, String where, Set<String> metricNames,
                                  List<String> problems) {
        if (!directive.isObject()) {
            problems.add(where + " must be an object");
            return;
        }
        for (Map.Entry<String, JsonNode> member : directive.properties()) {
            if (!DIRECTIVE_MEMBERS.contains(member.getKey())) {
                problems.add(where + " has a member the specification does not define: " + member.getKey());
            }
        }
        JsonNode namespace = directive.path("Namespace");
        if (!namespace.isTextual() || namespace.asText().isEmpty() || namespace.asText().length() > MAX_NAME) {
            problems.add(where + ".Namespace must be a string of 1-" + MAX_NAME + " characters, got " + namespace);
        }
        JsonNode dimensions = directive.path("Dimensions");
        if (!dimensions.isArray()) {
            problems.add(where + ".Dimensions must be an array of DimensionSet arrays, got " + dimensions);
        } else {
            for (int d = 0; d < dimensions.size(); d++) {
                dimensionSet(root, dimensions.get(d), where + ".Dimensions[" + d + "]", problems);
            }
        }
        JsonNode metrics = directive.path("Metrics");
        if (!metrics.isArray() || metrics.isEmpty() || metrics.size() > MAX_METRICS) {
            problems.add(where + ".Metrics must be an array of 1-" + MAX_METRICS + " MetricDefinition objects, got " + metrics);
            return;
        }
        for (int m = 0; m < metrics.size(); m++) {
            definition(root, metrics.get(m), where + ".Metrics[" + m + "]", metricNames, problems);
        }
    }

    private static void dimensionSet(JsonNode root, JsonNode set, String where, List<String> problems) {
        if (!set.isArray() || set.size() > MAX_DIMENSIONS) {
            problems.add(where + " must be an array of at most " + MAX_DIMENSIONS + " dimension names, got " + set);
            return;
        }
        for (JsonNode name : set) {
            if (!name.isTextual()) {
                problems.add(where + " holds a dimension name that is not a string: " + name);
                continue;
            }
            JsonNode value = root.path(name.asText());
            if (!value.isTextual() || value.asText().isEmpty() || value.asText().length() > MAX_NAME) {
                problems.add(where + ": the dimension " + name.asText() + " must be a root member holding a string of 1-"
                        + MAX_NAME + " characters, got " + value);
            }
        }
    }

    private static void definition(JsonNode root, JsonNode definition, String where, Set<String> metricNames,
                                   List<String> problems) {
        if (!definition.isObject()) {
            problems.add(where + " must be an object");
            return;
        }
        for (Map.Entry<String, JsonNode> member : definition.properties()) {
            if (!DEFINITION_MEMBERS.contains(member.getKey())) {
                problems.add(where + " has a member the specification does not define: " + member.getKey());
            }
        }
        JsonNode name = definition.path("Name");
        if (!name.isTextual() || name.asText().isEmpty() || name.asText().length() > MAX_NAME) {
            problems.add(where + ".Name must be a string of 1-" + MAX_NAME + " characters, got " + name);
            return;
        }
        if (!metricNames.add(name.asText())) {
            problems.add(where + ": the metric " + name.asText() + " is defined twice, but has one root member");
        }
        JsonNode unit = definition.path("Unit");
        if (!unit.isMissingNode() && !(unit.isTextual() && UNITS.contains(unit.asText()))) {
            problems.add(where + ".Unit must be one of the specification's units, got " + unit);
        }
        JsonNode resolution = definition.path("StorageResolution");
        if (!resolution.isMissingNode() && !(resolution.isIntegralNumber() && (resolution.asInt() == 1 || resolution.asInt() == 60))) {
            problems.add(where + ".StorageResolution must be 1 or 60, got " + resolution);
        }
        JsonNode value = root.path(name.asText());
        if (value.isNumber()) {
            return;
        }
        if (value.isArray() && !value.isEmpty() && value.size() <= MAX_VALUES) {
            for (JsonNode element : value) {
                if (!element.isNumber()) {
                    problems.add(where + ": the values of " + name.asText() + " must all be numbers, got " + element);
                }
            }
            return;
        }
        problems.add(where + ": the metric " + name.asText() + " must be a root member holding a number or an array of 1-"
                + MAX_VALUES + " numbers, got " + value);
    }
}
