/**
 * What both functions write about themselves: one JSON object per line on stdout ({@link dev.pulse.core.telemetry.LogLine}),
 * with {@code timestamp}, {@code level}, {@code message}, {@code requestId}, the function and the environment, and,
 * when the line carries metrics, a CloudWatch Embedded Metric Format section ({@code _aws}) in namespace
 * {@value dev.pulse.core.telemetry.Telemetry#NAMESPACE}, so CloudWatch Logs turns it into metrics without an API call.
 * The shapes are documented in docs/operations.md. Knows nothing of HTTP, streams or DynamoDB.
 */
package dev.pulse.core.telemetry;
