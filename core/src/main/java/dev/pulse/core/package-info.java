/**
 * Pulse's shared domain, used by both functions: the item and metrics records, the validation of
 * submitted items, time-ordered item ids, the JSON shapes, and the DynamoDB item store.
 *
 * <p>What this package owns: the table layout ({@link dev.pulse.core.PulseTable}, mirrored by
 * {@code terraform/}), the atomic "item + counters" write, O(1) metrics, and the two reads the
 * functions need: newest-first pages for the API and "items after id X" for the stream's resume.
 * Beyond the two request rules both functions must apply identically ({@link dev.pulse.core.CorsOrigins},
 * {@link dev.pulse.core.RequestPaths}), it knows nothing of HTTP or Lambda.
 */
package dev.pulse.core;
