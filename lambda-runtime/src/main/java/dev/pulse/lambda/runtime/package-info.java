/**
 * The runtime: the Lambda Runtime API client, the {@code /next} loops and their workers, the per-invocation
 * {@link dev.pulse.lambda.runtime.Context}, the values a {@link dev.pulse.lambda.runtime.Handler} returns
 * ({@link dev.pulse.lambda.runtime.Response}: buffered, or streamed through a sink the runtime owns), error
 * reports, SnapStart {@link dev.pulse.lambda.runtime.Hooks} and the drain. Knows nothing of HTTP requests or
 * Function URLs; uses {@code dev.pulse.lambda.wire} below it.
 */
package dev.pulse.lambda.runtime;
