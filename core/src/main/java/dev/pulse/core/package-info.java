/**
 * Pulse's shared domain, used by both functions: the item and metrics records, the validation of submitted items
 * and batches, commit-ordered item ids, the JSON shapes, and the DynamoDB item store.
 *
 * <p>What this package owns: the table layout ({@link dev.pulse.core.PulseTable}, mirrored by {@code terraform/}),
 * and the store ({@link dev.pulse.core.ItemStore}; {@link dev.pulse.core.DynamoItemStore} on DynamoDB), split by
 * job: the write that takes the next numbers in turn on the head record ({@link dev.pulse.core.SequencedWriter},
 * {@link dev.pulse.core.IngestTransaction}, {@link dev.pulse.core.WriteBackoff}), the O(1) counters
 * ({@link dev.pulse.core.MetricsReader}), the two reads the functions need, newest-first pages for the API and
 * "items after id X" for the stream ({@link dev.pulse.core.ItemQueries}), and the item's attributes
 * ({@link dev.pulse.core.ItemCodec}). {@link dev.pulse.core.StoreSettings} is the one place the DynamoDB client is
 * built. It knows nothing of HTTP or Lambda: the HTTP edge both functions share is {@code dev.pulse.core.http}, and
 * what they log is {@code dev.pulse.core.telemetry}.
 */
package dev.pulse.core;
