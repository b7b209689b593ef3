package dev.pulse.e2e.diagnose;

import java.time.Instant;

/** One log event: when it was logged, which group (or local file) it is from, and its message (a function's line). */
public record LogEvent(Instant time, String group, String message) {
}
