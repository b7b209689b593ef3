package dev.pulse.local;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The local stack's settings, read from the environment (names as in DESIGN §5 and the module README).
 *
 * @param dynamoEndpoint {@code PULSE_DYNAMODB_ENDPOINT}: a DynamoDB-compatible endpoint to use instead of
 *                       starting the emulator (LocalStack, a real table, a fault proxy); null = start one
 * @param corsOrigins  {@code PULSE_CORS_ALLOWED_ORIGINS}; null (unset) = the dashboard's own origin only
 * @param awsVariables with an endpoint: the caller's AWS credentials and region, for an endpoint that checks them
 * @param sseVariables every SSE_* variable of the caller, passed to the SSE function as Terraform would
 */
record LocalStackConfig(Path repoRoot, int dashboardPort, int ssePort, int dynamoPort, URI dynamoEndpoint,
                        String table, String apiKey,
                        String corsOrigins, String version, int dashboardConcurrency, int sseConcurrency,
                        Duration dashboardTimeout, Duration sseTimeout, Duration initTimeout, int memoryMb,
                        Map<String, String> awsVariables, Map<String, String> sseVariables, Path outputsFile) {

    private static final List<String> AWS_VARIABLES = List.of(
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION");

    static LocalStackConfig fromEnvironment(Map<String, String> env, Path cwd) {
        Map<String, String> sse = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("SSE_")) {
                sse.put(name, value);
            }
        });
        String outputs = text(env, "PULSE_OUTPUTS_FILE", "target/local-outputs.json");
        URI dynamoEndpoint = endpoint(env, "PULSE_DYNAMODB_ENDPOINT");
        Map<String, String> aws = new TreeMap<>();
        if (dynamoEndpoint != null) {
            AWS_VARIABLES.stream().filter(name -> env.get(name) != null && !env.get(name).isBlank())
                    .forEach(name -> aws.put(name, env.get(name)));
        }
        return new LocalStackConfig(
                Artifacts.repoRoot(env, cwd),
                port(env, "PULSE_DASHBOARD_PORT", 8080),
                port(env, "PULSE_SSE_PORT", 8081),
                port(env, "PULSE_DYNAMODB_PORT", 0),
                dynamoEndpoint,
                text(env, "PULSE_TABLE", "pulse-local"),
                env.get("PULSE_API_KEY"),
                text(env, "PULSE_CORS_ALLOWED_ORIGINS", null),
                env.get("PULSE_VERSION"),
                number(env, "PULSE_DASHBOARD_CONCURRENCY", 4, 1, 64),
                number(env, "PULSE_SSE_CONCURRENCY", 10, 1, 64),
                Duration.ofSeconds(number(env, "PULSE_DASHBOARD_TIMEOUT_SECONDS", 10, 1, 900)),
                Duration.ofSeconds(number(env, "PULSE_SSE_TIMEOUT_SECONDS", 900, 1, 900)),
                Duration.ofSeconds(number(env, "PULSE_INIT_TIMEOUT_SECONDS", 60, 1, 600)),
                number(env, "PULSE_FUNCTION_MEMORY_MB", 512, 128, 10240),
                Map.copyOf(aws),
                Map.copyOf(sse),
                cwd.resolve(outputs).toAbsolutePath().normalize());
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

    private static int port(Map<String, String> env, String name, int fallback) {
        return number(env, name, fallback, 0, 65535);
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
