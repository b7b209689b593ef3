package dev.pulse.core;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.pulse.core.ItemCodec.n;
import static dev.pulse.core.ItemCodec.s;
import static dev.pulse.core.PulseTable.EXPIRES_AT;
import static dev.pulse.core.PulseTable.PK;
import static dev.pulse.core.PulseTable.WRITE_ID;

/**
 * One attempt at a write, as one {@code TransactWriteItems}, for the head at {@code expected}: the items take the
 * numbers {@code expected + 1 .. expected + n} in the order given. Its actions, in this order:
 * <ol>
 *   <li>the head: {@code seq} from {@code expected} to {@code expected + n} (the condition), the label totals and
 *       {@code updated_at};</li>
 *   <li>the items, each conditional on its number being free. The first carries the write's id ({@code write_id})
 *       and is returned on a failed condition: a write whose answer was lost recognises its own commit when the SDK
 *       sends it again;</li>
 *   <li>one counter update per distinct tag;</li>
 *   <li>with a client's {@code Idempotency-Key}: its claim, the idempotency record, conditional on no live claim of
 *       that key, and returned on a failed condition.</li>
 * </ol>
 * A batch of {@link ItemStore#MAX_BATCH} items with as many tags and a key is 100 actions, DynamoDB's limit.
 */
final class IngestTransaction {

    /** The claim of a client's key: its record's name ({@code client#<key>}) and the digest of what it stores. */
    record Claim(String name, String digest) {
        /** @param digest what the key stores ({@link ItemDigest}): computed only for a write that has a key */
        static Claim of(IdempotencyKey key, String digest) {
            return new Claim("client#" + key.value(), digest);
        }
    }

    /** What a cancelled attempt says, most decisive first. */
    sealed interface Outcome {
        /** The first item is there with this write's id: this very write committed; its answer was lost. */
        record OwnCommit() implements Outcome {
        }

        /** Another write holds the key's claim: its record, as the failed condition returned it (or empty). */
        record ClaimTaken(Map<String, AttributeValue> record) implements Outcome {
        }

        /** The head is not at the number this attempt expected: another write moved it, or it went backwards. */
        record HeadMoved() implements Outcome {
        }

        /** The head's condition held, yet an item with this id exists: the head is behind its items. */
        record NumberTaken(String id) implements Outcome {
        }

        /** Only a conflict with a transaction in flight, or throttling: trying again after a pause may succeed. */
        record Contended() implements Outcome {
        }

        /** Anything else (a validation error, a table that is not there): retrying cannot help. */
        record Refused(String reasons) implements Outcome {
        }
    }

    private static final int HEAD = 0;
    private static final int FIRST_ITEM = 1;
    private static final Set<String> CONTENDED = Set.of("None", "TransactionConflict", "ThrottlingError");
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";

    private final List<Item> items;
    private final List<TransactWriteItem> actions;
    private final String writeId;
    private final int claimIndex;

    private IngestTransaction(List<Item> items, List<TransactWriteItem> actions, String writeId, int claimIndex) {
        this.items = items;
        this.actions = actions;
        this.writeId = writeId;
        this.claimIndex = claimIndex;
    }

    /**
     * @param writeId the same for every attempt of one write
     * @param claim   the client key's claim, or null without a key
     */
    static IngestTransaction at(String table, long expected, List<NewItem> input, String writeId, Claim claim,
                                Instant now) {
        String ts = now.truncatedTo(ChronoUnit.MILLIS).toString();
        List<Item> items = new ArrayList<>(input.size());
        for (NewItem in : input) {
            items.add(new Item(ItemId.of(expected + items.size() + 1), in.tag(), in.label(), in.score(), in.text(),
                    in.source(), ts));
        }
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(advanceHead(table, expected, items, ts));
        for (Item item : items) {
            actions.add(putItem(table, item, actions.size() == FIRST_ITEM ? writeId : null));
        }
        Map<String, Map<String, Long>> labelsByTag = new LinkedHashMap<>();
        items.forEach(item -> labelsByTag.computeIfAbsent(item.tag(), t -> new LinkedHashMap<>())
                .merge(item.label(), 1L, Long::sum));
        labelsByTag.forEach((tag, labels) -> actions.add(countTag(table, tag, labels)));
        int claimIndex = -1;
        if (claim != null) {
            claimIndex = actions.size();
            actions.add(claim(table, claim, items.getFirst().id(), items.size(), now.getEpochSecond()));
        }
        return new IngestTransaction(List.copyOf(items), List.copyOf(actions), writeId, claimIndex);
    }

    List<TransactWriteItem> actions() {
        return actions;
    }

    /** The items this attempt stores when it commits. */
    List<Item> items() {
        return items;
    }

    /** The head's {@code seq} once this attempt committed: the last item's number. */
    long last() {
        return ItemId.sequenceOf(items.getLast().id());
    }

    Outcome explain(TransactionCanceledException e) {
        List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
        if (reasons.size() != actions.size()) {
            return new Outcome.Refused("no reason per action: " + e.getMessage());
        }
        if (failed(reasons, FIRST_ITEM) && writeId.equals(text(reasons.get(FIRST_ITEM).item(), WRITE_ID))) {
            return new Outcome.OwnCommit();
        }
        if (claimIndex >= 0 && failed(reasons, claimIndex)) {
            Map<String, AttributeValue> record = reasons.get(claimIndex).item();
            return new Outcome.ClaimTaken(record == null ? Map.of() : record);
        }
        if (failed(reasons, HEAD)) {
            return new Outcome.HeadMoved();
        }
        for (int i = 0; i < items.size(); i++) {
            if (failed(reasons, FIRST_ITEM + i)) {
                return new Outcome.NumberTaken(items.get(i).id());
            }
        }
        List<String> codes = reasons.stream().map(CancellationReason::code).toList();
        return codes.stream().allMatch(code -> code == null || CONTENDED.contains(code))
                ? new Outcome.Contended() : new Outcome.Refused(codes.toString());
    }

    private static boolean failed(List<CancellationReason> reasons, int action) {
        return CONDITION_FAILED.equals(reasons.get(action).code());
    }

    private static String text(Map<String, AttributeValue> record, String name) {
        AttributeValue value = record == null ? null : record.get(name);
        return value == null ? null : value.s();
    }

    private static TransactWriteItem advanceHead(String table, long expected, List<Item> items, String ts) {
        Map<String, String> names = new HashMap<>(Map.of("#seq", "seq", "#updated", "updated_at"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":next", n(expected + items.size()), ":ts", s(ts)));
        StringBuilder add = new StringBuilder();
        Map<String, Long> labels = new LinkedHashMap<>();
        items.forEach(item -> labels.merge(item.label(), 1L, Long::sum));
        addCounts(labels, names, values, add);
        String condition;
        if (expected == 0) {
            condition = "attribute_not_exists(#seq)";
        } else {
            condition = "#seq = :expected";
            values.put(":expected", n(expected));
        }
        return TransactWriteItem.builder().update(Update.builder()
                .tableName(table)
                .key(PulseTable.headKey())
                .updateExpression("SET #seq = :next, #updated = :ts ADD " + add)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build()).build();
    }

    private static TransactWriteItem putItem(String table, Item item, String writeId) {
        Map<String, AttributeValue> values = ItemCodec.attributes(item);
        Put.Builder put = Put.builder()
                .tableName(table)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK));
        if (writeId != null) {
            values.put(WRITE_ID, s(writeId));
            put.returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        }
        return TransactWriteItem.builder().put(put.item(values).build()).build();
    }

    private static TransactWriteItem countTag(String table, String tag, Map<String, Long> labels) {
        Map<String, String> names = new HashMap<>(Map.of("#count", "count"));
        Map<String, AttributeValue> values = new HashMap<>(
                Map.of(":count", n(labels.values().stream().mapToLong(Long::longValue).sum())));
        StringBuilder add = new StringBuilder("#count :count");
        addCounts(labels, names, values, add.append(", "));
        return TransactWriteItem.builder().update(Update.builder()
                .tableName(table)
                .key(PulseTable.tagCountKey(tag))
                .updateExpression("ADD " + add)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build()).build();
    }

    /** {@code #l0 :l0, #l1 :l1}: each label's count (DynamoDB rejects names and values an expression does not use). */
    private static void addCounts(Map<String, Long> labels, Map<String, String> names, Map<String, AttributeValue> values,
                                  StringBuilder add) {
        int i = 0;
        for (Map.Entry<String, Long> label : labels.entrySet()) {
            add.append(i == 0 ? "" : ", ").append("#l").append(i).append(" :l").append(i);
            names.put("#l" + i, label.getKey());
            values.put(":l" + i, n(label.getValue()));
            i++;
        }
    }

    private static TransactWriteItem claim(String table, Claim claim, String firstId, int count, long now) {
        Map<String, AttributeValue> values = new HashMap<>(PulseTable.idempotencyKey(claim.name()));
        values.put("item_id", s(firstId));
        values.put("item_count", n(count));
        values.put("item_digest", s(claim.digest()));
        values.put(EXPIRES_AT, n(now + IdempotencyKey.RETENTION_HOURS * 3600L));
        return TransactWriteItem.builder().put(Put.builder()
                .tableName(table)
                .item(values)
                .conditionExpression("attribute_not_exists(#pk) OR #expires < :now")
                .expressionAttributeNames(Map.of("#pk", PK, "#expires", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":now", n(now)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build()).build();
    }
}
