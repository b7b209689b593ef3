package dev.pulse.local;

import dev.pulse.local.lambda.LambdaEmulator;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The local stack's own settings, read from the environment (names as in docs/architecture.md and the module README).
 * Each function's configuration comes from the description ({@link LocalFunctions}); what is here is either
 * local plumbing (ports, the table, the DynamoDB endpoint, the outputs file) or an explicit local override of
 * the description, each for a reason given in local-lambda/README.md.
 *
 * @param terraformDir   {@code PULSE_TERRAFORM_DIR}: the module whose description is used (default terraform/)
 * @param refresh        {@code PULSE_FUNCTIONS_REFRESH}: whether a stale description may be regenerated
 * @param dynamoEndpoint {@code PULSE_DYNAMODB_ENDPOINT}: a DynamoDB-compatible endpoint to use instead of
 *                       starting the emulator (LambdaEmulator, a real table, a fault proxy); null = start one
 * @param corsOrigins    {@code PULSE_CORS_ALLOWED_ORIGINS}; null (unset) = the dashboard's own origin only
 * @param awsVariables   with an endpoint: the caller's AWS credentials and region, for an endpoint that checks them
 * @param settings       the caller's PULSE_* and SSE_* variables, for the per-function overrides below
 */
record LocalPulseConfig(Path repoRoot, Path terraformDir, LocalFunctionsFile.Refresh refresh, int dynamoPort,
                        URI dynamoEndpoint, String table, String apiKey, String corsOrigins, Duration initTimeout,
                        Map<String, String> awsVariables, Map<String, String> settings, Path outputsFile) {

    private static final List<String> AWS_VARIABLES = List.of(
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION");
    /** The documented ports: the dashboard on 8080, the SSE function on 8081; any other function on a free port. */
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of("dashboard", 8080, "sse", 8081);
    /** The function whose environment gets the caller's SSE_* variables (docs/architecture.md). */
    static final String SSE_FUNCTION = "sse";

    static LocalPulseConfig fromEnvironment(Map<String, String> env, Path cwd) {
        Map<String, String> settings = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("SSE_") || name.startsWith("PULSE_")) {
                settings.put(name, value);
            }
        });
        String outputs = text(env, "PULSE_OUTPUTS_FILE", "target/local-outputs.json");
        URI dynamoEndpoint = endpoint(env, "PULSE_DYNAMODB_ENDPOINT");
        Map<String, String> aws = new TreeMap<>();
        if (dynamoEndpoint != null) {
            AWS_VARIABLES.stream().filter(name -> env.get(name) != null && !env.get(name).isBlank())
                    .forEach(name -> aws.put(name, env.get(name)));
        }
        Path repoRoot = Artifacts.repoRoot(env, cwd);
        LocalPulseConfig config = new LocalPulseConfig(
                repoRoot,
                repoRoot.resolve(text(env, "PULSE_TERRAFORM_DIR", "terraform")).toAbsolutePath().normalize(),
                LocalFunctionsFile.Refresh.fromEnvironment(env),
                number(env, "PULSE_DYNAMODB_PORT", 0, 0, 65535),
                dynamoEndpoint,
                text(env, "PULSE_TABLE", "pulse-local"),
                env.get("PULSE_API_KEY"),
                text(env, "PULSE_CORS_ALLOWED_ORIGINS", null),
                Duration.ofSeconds(number(env, "PULSE_INIT_TIMEOUT_SECONDS", 60, 1, 600)),
                Map.copyOf(aws),
                Map.copyOf(settings),
                cwd.resolve(outputs).toAbsolutePath().normalize());
        config.memoryMb(); // a bad number fails here, before anything starts
        DEFAULT_PORTS.keySet().forEach(key -> {
            config.port(key);
            config.concurrency(key);
            config.maxConcurrency(key);
            config.timeout(key);
        });
        return config;
    }

    /** {@code PULSE_<FUNCTION>_PORT}: the function's URL port (0 = any free port). Set but empty is a mistake, not the default. */
    int port(String function) {
        String name = variable(function, "PORT");
        String value = settings.get(name);
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(name + " is set but empty: unset it for the default "
                    + DEFAULT_PORTS.getOrDefault(function, 0) + ", or give a port (0 = any free port)");
        }
        return number(settings, name, DEFAULT_PORTS.getOrDefault(function, 0), 0, 65535);
    }

    /**
     * {@code PULSE_<FUNCTION>_CONCURRENCY}: overrides the reserved concurrency (tests: one, or many abandoned streams);
     * in Managed Instances mode, the number of execution environments.
     */
    OptionalInt concurrency(String function) {
        return optional(variable(function, "CONCURRENCY"), 1, 64);
    }

    /**
     * {@code PULSE_<FUNCTION>_MAX_CONCURRENCY}: runs the function in Lambda Managed Instances mode with this many
     * invocations per execution environment (a quick trial of the mode without changing terraform/).
     */
    OptionalInt maxConcurrency(String function) {
        return optional(variable(function, "MAX_CONCURRENCY"), 1, 1600);
    }

    /** {@code PULSE_<FUNCTION>_TIMEOUT_SECONDS}: overrides the function timeout. */
    Optional<Duration> timeout(String function) {
        OptionalInt seconds = optional(variable(function, "TIMEOUT_SECONDS"), 1, 900);
        return seconds.isPresent() ? Optional.of(Duration.ofSeconds(seconds.getAsInt())) : Optional.empty();
    }

    /**
     * {@code PULSE_CPU_SHARE}: {@code on} (default) gives each environment Lambda's share of a vCPU during invocations,
     * where the machine allows it; {@code off} lets every environment use the machine's CPUs (tests that need speed).
     */
    boolean cpuShare() {
        String value = settings.getOrDefault("PULSE_CPU_SHARE", "on").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "on", "" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("PULSE_CPU_SHARE must be on or off, got '" + value + "'");
        };
    }

    /** {@code PULSE_FUNCTION_MEMORY_MB}: overrides every function's memory (smaller JVMs on a small machine). */
    OptionalInt memoryMb() {
        return optional("PULSE_FUNCTION_MEMORY_MB", 128, 10240);
    }

    /**
     * Variables that replace or add to the description's for {@code function}: the caller's SSE_* for the SSE
     * function (shorter streams and heartbeats in tests and benchmarks), PULSE_VERSION where the function
     * has one, PULSE_PRIMING for both (the bench's cold starts without the functions' priming), and
     * PULSE_FUNCTION_JAVA_TOOL_OPTIONS as both functions' JAVA_TOOL_OPTIONS (their JVM flags; not the stack's own).
     */
    Map<String, String> variableOverrides(String function, Map<String, String> described) {
        Map<String, String> overrides = new TreeMap<>();
        if (function.equals(SSE_FUNCTION)) {
            settings.forEach((name, value) -> {
                if (name.startsWith("SSE_")) {
                    overrides.put(name, value);
                }
            });
        }
        String version = settings.get("PULSE_VERSION");
        if (version != null && !version.isBlank() && described.containsKey("PULSE_VERSION")) {
            overrides.put("PULSE_VERSION", version);
        }
        String priming = settings.get("PULSE_PRIMING");
        if (priming != null && !priming.isBlank()) {
            overrides.put("PULSE_PRIMING", priming.strip());
        }
        String jvmFlags = settings.get("PULSE_FUNCTION_JAVA_TOOL_OPTIONS");
        if (jvmFlags != null && !jvmFlags.isBlank()) {
            overrides.put("JAVA_TOOL_OPTIONS", jvmFlags.strip());
        }
        return overrides;
    }

    /** PULSE_SSE_CONCURRENCY for sse, PULSE_DASHBOARD_PORT for dashboard, ... */
    static String variable(String function, String setting) {
        return "PULSE_" + function.toUpperCase(Locale.ROOT).replace('-', '_') + "_" + setting;
    }

    private OptionalInt optional(String name, int min, int max) {
        String value = settings.get(name);
        return value == null || value.isBlank() ? OptionalInt.empty() : OptionalInt.of(number(settings, name, 0, min, max));
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static URI endpoint(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(value.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + "=" + value + " is not an http(s) URL such as http://127.0.0.1:4566");
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a number from " + min + " to " + max);
        }
    }
}
