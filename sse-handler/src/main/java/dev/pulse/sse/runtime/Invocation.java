package dev.pulse.sse.runtime;

/**
 * One event from {@code GET /runtime/invocation/next}.
 *
 * @param deadlineEpochMs {@code Lambda-Runtime-Deadline-Ms}: when Lambda stops the invocation (0 if absent)
 * @param traceId         {@code Lambda-Runtime-Trace-Id}, or null
 */
public record Invocation(String requestId, long deadlineEpochMs, String traceId, byte[] payload) {
}
