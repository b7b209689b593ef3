package dev.pulse.core.telemetry;

import java.util.Locale;
import java.util.Map;

/**
 * A log line's level, with Lambda's names and order (application_log_level in a function's logging_config). Lambda
 * drops a JSON line below the configured level; the functions drop it before building it.
 */
public enum Level {
    TRACE, DEBUG, INFO, WARN, ERROR, FATAL;

    /** The variable Lambda sets from {@code logging_config.application_log_level} when the log format is JSON. */
    public static final String VARIABLE = "AWS_LAMBDA_LOG_LEVEL";

    /** {@link #VARIABLE}, else INFO (Lambda's default): an unknown name is INFO too, as Lambda treats it. */
    public static Level fromEnvironment(Map<String, String> env) {
        return parse(env.get(VARIABLE), INFO);
    }

    static Level parse(String name, Level fallback) {
        if (name == null || name.isBlank()) {
            return fallback;
        }
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    /** True when a line of this level passes a {@code minimum}. */
    public boolean atLeast(Level minimum) {
        return compareTo(minimum) >= 0;
    }
}
