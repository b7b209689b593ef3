package dev.pulse.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code terraform show -json} plan of the root module into {@link LocalFunctions}: each planned
 * {@code aws_lambda_function} (with its SnapStart setting) with the {@code aws_lambda_function_url} of the same function
 * (and the alias it is on, which must be an {@code aws_lambda_alias} of that function in the plan) and its capacity (the
 * root output {@code <function key>_capacity}, e.g. {@code sse_capacity}; none: on demand), and the outputs
 * that name a function, its URL or the table. Planned values are taken as Terraform will send them to AWS;
 * those that AWS or the deployer decide become {@link Placeholders}. Anything the local stack could not run
 * faithfully (a container image, layers, a value only AWS knows) is an error here, not a silent difference.
 */
final class PlanDescription {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** module.dashboard.aws_lambda_function.this → dashboard; aws_lambda_function.api → api. */
    private static final Pattern ADDRESS = Pattern.compile("(?:.*module\\.([A-Za-z0-9_-]+)(?:\\[[^]]*])?\\.)?aws_lambda_function\\.([A-Za-z0-9_-]+)(?:\\[[^]]*])?");
    private static final Pattern KEY = Pattern.compile("[a-z0-9_-]+");

    private PlanDescription() {
    }

    /**
     * @param planJson      {@code terraform show -json} of the plan
     * @param moduleDirName the module directory's name ({@code terraform}): artifact paths are made relative to
     *                      the directory that holds it
     */
    static LocalFunctions read(String planJson, String moduleSha256, List<String> plannedWith, String moduleDirName) {
        JsonNode plan;
        try {
            plan = MAPPER.readTree(planJson);
        } catch (IOException e) {
            throw new UncheckedIOException("terraform show -json did not print a plan: " + e.getMessage(), e);
        }
        List<JsonNode> lambdas = new ArrayList<>();
        List<JsonNode> urls = new ArrayList<>();
        List<JsonNode> aliases = new ArrayList<>();
        Set<String> tableNames = new HashSet<>();
        for (JsonNode change : plan.path("resource_changes")) {
            if (!change.path("mode").asText().equals("managed")) {
                continue;
            }
            switch (change.path("type").asText()) {
                case "aws_lambda_function" -> lambdas.add(change);
                case "aws_lambda_function_url" -> urls.add(change);
                case "aws_lambda_alias" -> aliases.add(change);
                case "aws_dynamodb_table" -> tableNames.add(change.path("change").path("after").path("name").asText());
                default -> { }
            }
        }
        if (lambdas.isEmpty()) {
            throw new IllegalArgumentException("the plan has no aws_lambda_function");
        }
        Map<String, String> keysByName = new LinkedHashMap<>();
        for (JsonNode lambda : lambdas) {
            String name = after(lambda).path("function_name").asText();
            String key = key(lambda.path("address").asText());
            if (keysByName.containsValue(key)) {
                throw new IllegalArgumentException("two functions would be called " + key + " locally: name their modules apart");
            }
            keysByName.put(name, key);
        }

        List<String> problems = new ArrayList<>();
        Map<String, LocalFunctions.Function> functions = new TreeMap<>();
        for (JsonNode lambda : lambdas) {
            String name = after(lambda).path("function_name").asText();
            try {
                String key = keysByName.get(name);
                functions.put(key, function(lambda, url(urls, name), aliasNames(aliases, name), capacity(plan, key),
                        keysByName, tableNames, moduleDirName));
            } catch (IllegalArgumentException e) {
                problems.add(lambda.path("address").asText() + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the local stack cannot run these functions as planned:\n  "
                    + String.join("\n  ", problems));
        }
        return new LocalFunctions(LocalFunctions.ABOUT, moduleSha256, plannedWith, Placeholders.LEGEND, functions,
                outputs(plan, keysByName, tableNames));
    }

    private static LocalFunctions.Function function(JsonNode lambda, JsonNode url, Set<String> aliases,
                                                    LocalFunctions.Capacity capacity, Map<String, String> keysByName,
                                                    Set<String> tableNames, String moduleDirName) {
        JsonNode after = after(lambda);
        JsonNode unknown = lambda.path("change").path("after_unknown");
        boolean image = !after.path("image_uri").isNull() && !after.path("image_uri").isMissingNode();
        if (image || !after.path("package_type").asText("Zip").equals("Zip")) {
            throw new IllegalArgumentException("a container image; the local stack runs zip packages on the java21 runtime");
        }
        if (after.path("layers").isArray() && !after.path("layers").isEmpty()) {
            throw new IllegalArgumentException("layers, which the local stack does not have");
        }
        if (after.path("filename").isMissingNode() || after.path("filename").isNull()) {
            throw new IllegalArgumentException("no local deployment package (filename): an S3 object cannot be run locally");
        }
        for (String field : List.of("runtime", "handler", "memory_size", "timeout", "reserved_concurrent_executions")) {
            if (unknown.path(field).asBoolean(false) || after.path(field).isMissingNode() || after.path(field).isNull()) {
                throw new IllegalArgumentException(field + " is not known at plan time");
            }
        }
        JsonNode variables = after.path("environment").path(0).path("variables");
        JsonNode unknownVariables = unknown.path("environment").path(0).path("variables");
        if (unknownVariables.asBoolean(false)) {
            throw new IllegalArgumentException("its environment variables are not known at plan time (a value AWS assigns "
                    + "that the description has no placeholder for)");
        }
        Map<String, String> environment = new TreeMap<>();
        for (Map.Entry<String, JsonNode> variable : variables.properties()) {
            if (unknownVariables.path(variable.getKey()).asBoolean(false)) {
                throw new IllegalArgumentException("environment variable " + variable.getKey() + " is not known at plan time");
            }
            environment.put(variable.getKey(), Placeholders.fromPlanned(variable.getValue().asText(), keysByName, tableNames));
        }
        String filename = after.path("filename").asText();
        Path artifact = Path.of(filename).isAbsolute() ? Path.of(filename) : Path.of(moduleDirName).resolve(filename).normalize();
        return new LocalFunctions.Function(
                after.path("function_name").asText(),
                artifact.toString().replace('\\', '/'),
                after.path("package_type").asText("Zip"),
                after.path("runtime").asText(),
                after.path("handler").asText(),
                after.path("architectures").path(0).asText("x86_64"),
                after.path("memory_size").asInt(),
                after.path("timeout").asInt(),
                after.path("reserved_concurrent_executions").asInt(),
                capacity,
                snapStart(after),
                environment.get("AWS_LAMBDA_EXEC_WRAPPER"),
                environment,
                url == null ? null : url(url, aliases, keysByName, tableNames),
                logging(after.path("logging_config").path(0)));
    }

    /**
     * The root output {@code <key>_capacity} as planned: {@code mode}, and with {@code managed_instances} the
     * {@code per_environment_max_concurrency} and {@code min_execution_environments}; no such output: on demand.
     */
    static LocalFunctions.Capacity capacity(JsonNode plan, String key) {
        JsonNode change = plan.path("output_changes").path(key + "_capacity");
        if (change.isMissingNode()) {
            return LocalFunctions.Capacity.ON_DEMAND;
        }
        JsonNode after = change.path("after");
        if (!after.isObject() || change.path("after_unknown").asBoolean(false)) {
            throw new IllegalArgumentException("output " + key + "_capacity is not an object known at plan time");
        }
        String mode = after.path("mode").asText();
        if (!mode.equals(LocalFunctions.Capacity.MANAGED_INSTANCES_MODE)) {
            return new LocalFunctions.Capacity(mode, null, null);
        }
        for (String field : List.of("per_environment_max_concurrency", "min_execution_environments")) {
            if (!after.path(field).canConvertToInt()) {
                throw new IllegalArgumentException("output " + key + "_capacity has no whole number " + field);
            }
        }
        return LocalFunctions.Capacity.managedInstances(after.path("per_environment_max_concurrency").asInt(),
                after.path("min_execution_environments").asInt());
    }

    /** Whether the function snapshots its published versions: {@code snap_start { apply_on = "PublishedVersions" }}. */
    private static boolean snapStart(JsonNode after) {
        String applyOn = after.path("snap_start").path(0).path("apply_on").asText("None");
        return switch (applyOn) {
            case "PublishedVersions" -> true;
            case "None" -> false;
            default -> throw new IllegalArgumentException("snap_start apply_on " + applyOn + " is neither "
                    + "PublishedVersions nor None");
        };
    }

    /** The names of the aliases the plan makes for the function called {@code functionName}. */
    private static Set<String> aliasNames(List<JsonNode> aliases, String functionName) {
        Set<String> names = new HashSet<>();
        for (JsonNode alias : aliases) {
            if (after(alias).path("function_name").asText().equals(functionName)) {
                names.add(after(alias).path("name").asText());
            }
        }
        return names;
    }

    /** The planned logging_config, or null when the function has none (Lambda's default: text). */
    private static LocalFunctions.Logging logging(JsonNode config) {
        if (!config.isObject()) {
            return null;
        }
        return new LocalFunctions.Logging(text(config.path("log_format")), text(config.path("application_log_level")),
                text(config.path("system_log_level")));
    }

    private static String text(JsonNode value) {
        return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    private static LocalFunctions.Url url(JsonNode change, Set<String> aliases, Map<String, String> keysByName,
                                          Set<String> tableNames) {
        JsonNode after = after(change);
        if (change.path("change").path("after_unknown").path("qualifier").asBoolean(false)) {
            throw new IllegalArgumentException("its Function URL's qualifier is not known at plan time");
        }
        String qualifier = text(after.path("qualifier"));
        if ("$LATEST".equals(qualifier)) {
            qualifier = null;   // the same as none: the function itself
        }
        if (qualifier != null && !aliases.contains(qualifier)) {
            throw new IllegalArgumentException("a Function URL on " + qualifier + ", which is not an alias this plan makes "
                    + "for the function (aliases: " + new TreeSet<>(aliases) + ")");
        }
        JsonNode cors = after.path("cors").path(0);
        return new LocalFunctions.Url(after.path("invoke_mode").asText("BUFFERED"), after.path("authorization_type").asText(),
                qualifier, cors.isMissingNode() ? null : new LocalFunctions.Cors(
                        strings(cors.path("allow_origins"), keysByName, tableNames),
                        strings(cors.path("allow_methods"), keysByName, tableNames),
                        strings(cors.path("allow_headers"), keysByName, tableNames),
                        strings(cors.path("expose_headers"), keysByName, tableNames),
                        cors.path("max_age").isNumber() ? cors.path("max_age").asInt() : null,
                        cors.path("allow_credentials").isBoolean() ? cors.path("allow_credentials").asBoolean() : null));
    }

    /** The root outputs whose value the local stack has too: a function's name or URL, the table's name. */
    private static Map<String, String> outputs(JsonNode plan, Map<String, String> keysByName, Set<String> tableNames) {
        Map<String, String> outputs = new TreeMap<>();
        for (Map.Entry<String, JsonNode> output : plan.path("output_changes").properties()) {
            JsonNode after = output.getValue().path("after");
            if (!after.isTextual()) {
                continue;
            }
            String value = Placeholders.fromPlanned(after.asText(), keysByName, tableNames);
            if (keysByName.containsKey(value) || value.startsWith("${")) {
                outputs.put(output.getKey(), value);
            }
        }
        return outputs;
    }

    private static JsonNode url(List<JsonNode> urls, String functionName) {
        JsonNode found = null;
        for (JsonNode url : urls) {
            if (after(url).path("function_name").asText().equals(functionName)) {
                if (found != null) {
                    throw new IllegalArgumentException(functionName + " has two Function URLs");
                }
                found = url;
            }
        }
        return found;
    }

    private static List<String> strings(JsonNode array, Map<String, String> keysByName, Set<String> tableNames) {
        if (!array.isArray()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(Placeholders.fromPlanned(value.asText(), keysByName, tableNames)));
        return values;
    }

    static String key(String address) {
        Matcher m = ADDRESS.matcher(address);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a function address: " + address);
        }
        String key = m.group(1) != null ? m.group(1) : m.group(2);
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException(address + ": the local stack names functions by their module in lower case "
                    + "letters, digits, - and _ (it reads PULSE_<NAME>_... overrides), not " + key);
        }
        return key;
    }

    private static JsonNode after(JsonNode change) {
        JsonNode actions = change.path("change").path("actions");
        if (!(actions.size() == 1 && (actions.get(0).asText().equals("create") || actions.get(0).asText().equals("no-op")
                || actions.get(0).asText().equals("update")))) {
            throw new IllegalArgumentException(change.path("address").asText() + " is planned to " + actions
                    + "; plan the description against an empty state");
        }
        return change.path("change").path("after");
    }
}
