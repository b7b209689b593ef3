package dev.pulse.lambda.runtime;

import java.time.Duration;
import java.time.Instant;

/**
 * What Lambda says about one invocation, from the headers of {@code GET /runtime/invocation/next}. Each invocation
 * has its own: with many invocations at once (Lambda Managed Instances) nothing of it is process-wide.
 *
 * @param requestId          {@code Lambda-Runtime-Aws-Request-Id}
 * @param invocationId       {@code Lambda-Runtime-Invocation-Id}, sent back on the response; null when Lambda did not send it
 * @param deadlineEpochMs    {@code Lambda-Runtime-Deadline-Ms}; 0 when absent or unreadable
 * @param invokedFunctionArn {@code Lambda-Runtime-Invoked-Function-Arn}, or null
 * @param traceId            {@code Lambda-Runtime-Trace-Id} (the X-Ray trace header), or null
 * @param clientContext      {@code Lambda-Runtime-Client-Context}: JSON, as sent; null when absent
 * @param cognitoIdentity    {@code Lambda-Runtime-Cognito-Identity}: JSON, as sent; null when absent
 * @param tenantId           {@code Lambda-Runtime-Aws-Tenant-Id}, or null
 */
public record Context(String requestId, String invocationId, long deadlineEpochMs, String invokedFunctionArn,
                      String traceId, String clientContext, String cognitoIdentity, String tenantId) {

    /** When Lambda ends the invocation; null when it did not say. */
    public Instant deadline() {
        return deadlineEpochMs > 0 ? Instant.ofEpochMilli(deadlineEpochMs) : null;
    }

    /** Time left before the deadline (negative once it passed); null when there is no deadline. */
    public Duration remainingTime() {
        return deadlineEpochMs > 0 ? Duration.ofMillis(deadlineEpochMs - System.currentTimeMillis()) : null;
    }
}
