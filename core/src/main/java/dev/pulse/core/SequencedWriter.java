package dev.pulse.core;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static dev.pulse.core.ItemCodec.number;
import static dev.pulse.core.PulseTable.EXPIRES_AT;

/**
 * The write path: items take the next numbers in the transaction that stores them ({@link IngestTransaction}), so
 * numbers are dense and in commit order whatever the number of writers. A write conditions on the head it expects;
 * when another write got there first, nothing is stored, and the write waits its turn ({@link WriteBackoff}), reads
 * the head and tries again from there. The head it reads is the truth, also when it went backwards (a restore, a table
 * created again). Writers in one JVM take turns, since they would only conflict on the head.
 *
 * <p>The head is read again after the pause, not taken from the failed condition: by the time the pause is over,
 * other writes have usually moved it, and an attempt from a stale number costs a whole failed transaction where the
 * read costs one small GetItem (docs/performance.md has the measurements).
 */
final class SequencedWriter {

    private final Table table;
    private final MetricsReader head;
    private final ItemQueries items;
    private final WriteBackoff backoff = new WriteBackoff();
    private final ReentrantLock turn = new ReentrantLock(true);
    /** The head as this store last saw it; -1 before the first write. Guarded by {@link #turn}. */
    private long knownHead = -1;

    SequencedWriter(Table table, MetricsReader head, ItemQueries items) {
        this.table = table;
        this.head = head;
        this.items = items;
    }

    /**
     * Stores the items under the next numbers, all or nothing.
     *
     * @param claim the client key's claim of these items, or null without a key
     */
    BatchIngest write(List<NewItem> batch, IngestTransaction.Claim claim, Deadline deadline) {
        try {
            if (!turn.tryLock(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new StoreUnavailableException("the write did not get its turn before its deadline; it was not stored",
                        null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted before the write; it was not stored", e);
        }
        try {
            return writeInTurn(batch, claim, deadline);
        } finally {
            turn.unlock();
        }
    }

    private BatchIngest writeInTurn(List<NewItem> batch, IngestTransaction.Claim claim, Deadline deadline) {
        String writeId = UUID.randomUUID().toString();
        int lost = 0;
        long expected;
        if (backoff.othersWaiting()) {
            expected = afterPause(lost, deadline);   // behind the writes that are waiting, not ahead of them
        } else {
            // A new execution environment knows no number yet: one small read beats a transaction bound to fail.
            expected = knownHead >= 0 ? knownHead : head.lastSequence();
        }
        while (true) {
            if (deadline.passed()) {
                throw new StoreUnavailableException("the write did not get its turn before its deadline; it was not stored",
                        null);
            }
            IngestTransaction attempt = IngestTransaction.at(table.name(), expected, batch, writeId, claim, Instant.now());
            long sentAt = System.nanoTime();
            try {
                send(attempt, deadline);
                backoff.roundTrip(System.nanoTime() - sentAt);
                backoff.committed(lost);
                knownHead = attempt.last();
                return new BatchIngest(attempt.items(), false);
            } catch (TransactionCanceledException e) {
                backoff.roundTrip(System.nanoTime() - sentAt);
                switch (attempt.explain(e)) {
                    case IngestTransaction.Outcome.OwnCommit own -> {
                        knownHead = attempt.last();
                        return new BatchIngest(attempt.items(), false);
                    }
                    case IngestTransaction.Outcome.ClaimTaken taken -> {
                        Optional<BatchIngest> earlier = earlierWrite(claim, taken.record());
                        if (earlier.isPresent()) {
                            return earlier.get();
                        }
                        // the claim expired (or went before it could be read): claim it again
                    }
                    case IngestTransaction.Outcome.HeadMoved moved -> expected = afterPause(++lost, deadline);
                    case IngestTransaction.Outcome.NumberTaken taken -> throw new StoreUnavailableException("item "
                            + taken.id() + " already exists although the head record says " + expected + " items were"
                            + " stored: the head is behind its items (deleted or restored on its own?); nothing was stored", e);
                    case IngestTransaction.Outcome.Contended contended -> expected = afterPause(++lost, deadline);
                    case IngestTransaction.Outcome.Refused refused -> throw new StoreUnavailableException(
                            "the write was refused (" + refused.reasons() + "); it was not stored", e);
                }
            } catch (SdkException e) {
                throw new StoreUnavailableException("the write failed, it may or may not be stored: " + e.getMessage(), e);
            }
        }
    }

    /** The head after the write's pause: where the next attempt starts. */
    private long afterPause(int lost, Deadline deadline) {
        backoff.pause(lost, deadline);
        knownHead = head.lastSequence();
        return knownHead;
    }

    private void send(IngestTransaction attempt, Deadline deadline) {
        Duration remaining = deadline.remaining();
        Duration callTime = remaining.compareTo(StoreSettings.MAX_CALL_TIME) < 0 ? remaining : StoreSettings.MAX_CALL_TIME;
        table.dynamo().transactWriteItems(b -> b
                // one token per attempt: an SDK retry of this very request commits at most once on DynamoDB
                .clientRequestToken(UUID.randomUUID().toString())
                .transactItems(attempt.actions())
                .overrideConfiguration(o -> o.apiCallTimeout(callTime)));
    }

    /**
     * What an earlier write with this key stored, from its claim record: the same items again (a replay), or
     * {@link IdempotencyKeyReusedException} when it stored others. Empty when the record expired or went meanwhile.
     */
    private Optional<BatchIngest> earlierWrite(IngestTransaction.Claim claim, Map<String, AttributeValue> returned) {
        Map<String, AttributeValue> record = returned.isEmpty()
                ? table.getConsistent(PulseTable.idempotencyKey(claim.name())) : returned;
        if (record.isEmpty() || record.containsKey(EXPIRES_AT)
                && number(record, EXPIRES_AT) < Instant.now().getEpochSecond()) {
            return Optional.empty();
        }
        String firstId = record.get("item_id").s();
        if (!claim.digest().equals(record.get("item_digest").s())) {
            throw new IdempotencyKeyReusedException(firstId);
        }
        long count = Math.max(1, number(record, "item_count"));   // records of single writes may have none
        long first = ItemId.sequenceOf(firstId);
        List<Item> stored = items.range(first - 1, first - 1 + count);
        if (stored.size() != count) {
            throw new StoreUnavailableException("the idempotency record names items " + firstId + " and on ("
                    + count + "), which cannot all be read", null);
        }
        return Optional.of(new BatchIngest(stored, true));
    }
}
