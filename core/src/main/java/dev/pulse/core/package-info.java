/**
 * Pulse's shared domain, used by both functions: the item and metrics records, the validation of
 * submitted items, commit-ordered item ids, the JSON shapes, and the DynamoDB item store.
 *
 * <p>What this package owns: the table layout ({@link dev.pulse.core.PulseTable}, mirrored by
 * {@code terraform/}), the atomic "items + counters" write, O(1) metrics, and the two reads the
 * functions need: newest-first pages for the API and "items after id X" for the stream's resume.
 * It knows nothing of HTTP or Lambda: the HTTP edge both functions share is {@code dev.pulse.core.http},
 * and what they log is {@code dev.pulse.core.telemetry}.
 */
package dev.pulse.core;
