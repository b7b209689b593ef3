package dev.pulse.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The local stack's settings, read from the environment (names as in DESIGN §5 and the module README).
 *
 * @param corsOrigins  {@code PULSE_CORS_ALLOWED_ORIGINS}; null (unset) = the dashboard's own origin only
 * @param sseVariables every SSE_* variable of the caller, passed to the SSE function as Terraform would
 */
record LocalStackConfig(Path repoRoot, int dashboardPort, int ssePort, int dynamoPort, String table, String apiKey,
                        String corsOrigins, String version, int dashboardConcurrency, int sseConcurrency,
                        Duration dashboardTimeout, Duration sseTimeout, Duration initTimeout, int memoryMb,
                        Map<String, String> sseVariables, Path outputsFile) {

    static LocalStackConfig fromEnvironment(Map<String, String> env, Path cwd) {
        Map<String, String> sse = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("SSE_")) {
                sse.put(name, value);
            }
        });
        String outputs = text(env, "PULSE_OUTPUTS_FILE", "target/local-outputs.json");
        return new LocalStackConfig(
                Artifacts.repoRoot(env, cwd),
                port(env, "PULSE_DASHBOARD_PORT", 8080),
                port(env, "PULSE_SSE_PORT", 8081),
                port(env, "PULSE_DYNAMODB_PORT", 0),
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
                Map.copyOf(sse),
                cwd.resolve(outputs).toAbsolutePath().normalize());
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
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
