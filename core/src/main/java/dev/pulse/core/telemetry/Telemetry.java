package dev.pulse.core.telemetry;

import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where one function's log lines go (stdout, one JSON object per line: Lambda sends each to CloudWatch Logs as an
 * event), with what every line carries: the function's role ({@code dashboard}, {@code sse}) and the deployment's
 * environment ({@value #ENVIRONMENT_VARIABLE}), which are also the dimensions of every metric. A line below the
 * function's level ({@value Level#VARIABLE}) is never built.
 */
public final class Telemetry {

    /** The CloudWatch namespace of every metric. */
    public static final String NAMESPACE = "Pulse";
    /** Set by Terraform to the environment's name (preprod, prod; locally: local). */
    public static final String ENVIRONMENT_VARIABLE = "PULSE_ENVIRONMENT";
    static final String FUNCTION_FIELD = "function";
    static final String ENVIRONMENT_FIELD = "environment";
    private static final String UNKNOWN_ENVIRONMENT = "unknown";

    private final String function;
    private final String environment;
    private final Level minimum;
    private final Consumer<String> out;
    private final Clock clock;

    public Telemetry(String function, String environment, Level minimum, Consumer<String> out, Clock clock) {
        this.function = function;
        this.environment = environment == null || environment.isBlank() ? UNKNOWN_ENVIRONMENT : environment.strip();
        this.minimum = minimum;
        this.out = out;
        this.clock = clock;
    }

    /** The function's lines to stdout, at the level Lambda was configured with. */
    public static Telemetry toStdout(String function, Map<String, String> env) {
        return fromEnvironment(function, env, line -> System.out.println(line));
    }

    /** The environment and level from the function's settings; the lines to {@code out} (stdout, or a test's list). */
    public static Telemetry fromEnvironment(String function, Map<String, String> env, Consumer<String> out) {
        return new Telemetry(function, env.get(ENVIRONMENT_VARIABLE), Level.fromEnvironment(env), out, Clock.systemUTC());
    }

    public boolean enabled(Level level) {
        return level.atLeast(minimum);
    }

    /** Builds ({@code fill} adds the fields and metrics) and writes one line, if its level is enabled. */
    public void log(Level level, String message, Consumer<LogLine> fill) {
        if (!enabled(level)) {
            return;
        }
        LogLine line = new LogLine(clock.instant(), level, message, function, environment);
        fill.accept(line);
        out.accept(line.toJson());
    }

    /** A line with nothing but its message (and the request id, when there is one). */
    public void text(Level level, String requestId, String message) {
        log(level, message, line -> line.requestId(requestId));
    }

    public String environment() {
        return environment;
    }
}
