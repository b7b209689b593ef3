package dev.pulse.lambda.runtime;

import java.util.Map;

/**
 * What Lambda tells the runtime through its environment, besides where the Runtime API is ({@code
 * AWS_LAMBDA_RUNTIME_API}, read first, since a bad setting here is reported to it).
 *
 * @param maxConcurrency {@code AWS_LAMBDA_MAX_CONCURRENCY}: invocations at once (Lambda Managed Instances sets it); 1
 *                       when unset
 * @param snapStart      {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}: init ends with the restore handshake
 */
record RuntimeSettings(int maxConcurrency, boolean snapStart) {

    static final int MAX_WORKERS = 1024;

    /** The settings; an {@link IllegalArgumentException} naming the variable when one is malformed. */
    static RuntimeSettings fromEnvironment(Map<String, String> env) {
        String raw = env.get("AWS_LAMBDA_MAX_CONCURRENCY");
        int concurrency = 1;
        if (raw != null && !raw.isBlank()) {
            try {
                concurrency = Integer.parseInt(raw.strip());
            } catch (NumberFormatException e) {
                concurrency = 0;
            }
            if (concurrency < 1 || concurrency > MAX_WORKERS) {
                throw new IllegalArgumentException("AWS_LAMBDA_MAX_CONCURRENCY must be a whole number from 1 to "
                        + MAX_WORKERS + ", got '" + raw + "'");
            }
        }
        return new RuntimeSettings(concurrency, "snap-start".equals(env.get("AWS_LAMBDA_INITIALIZATION_TYPE")));
    }
}
