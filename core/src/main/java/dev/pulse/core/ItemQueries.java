package dev.pulse.core;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pulse.core.ItemCodec.s;
import static dev.pulse.core.ItemStore.MAX_RANGE;
import static dev.pulse.core.PulseTable.ITEM_PK;
import static dev.pulse.core.PulseTable.PK;
import static dev.pulse.core.PulseTable.SK;
import static dev.pulse.core.PulseTable.TAG;
import static dev.pulse.core.PulseTable.TAG_INDEX;

/** Reads of items: one by id, a range of numbers oldest first, and newest-first pages (all items, or one tag). */
final class ItemQueries {

    private static final int CONTIGUOUS_LIST_ATTEMPTS = 3;

    private final Table table;

    ItemQueries(Table table) {
        this.table = table;
    }

    Optional<Item> get(String id) {
        Map<String, AttributeValue> row = table.getConsistent(PulseTable.itemKey(id));
        return row.isEmpty() ? Optional.empty() : Optional.of(ItemCodec.item(row));
    }

    /** The items numbered {@code after + 1 .. upTo}, oldest first, strongly consistent; at most {@link ItemStore#MAX_RANGE}. */
    List<Item> range(long after, long upTo) {
        long last = Math.min(upTo, after + MAX_RANGE);
        if (last <= after) {
            return List.of();
        }
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(table.name())
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :first AND :last")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(
                        ":pk", s(ITEM_PK), ":first", s(ItemId.of(after + 1)), ":last", s(ItemId.of(last))))
                .consistentRead(true);
        return pages(request, (int) (last - after));
    }

    /** Newest first, below {@code before} when given; all items, or one tag's from the {@code by_tag} index. */
    ItemPage newest(int limit, String tag, String before) {
        // One extra item tells whether a next page exists without a second round trip.
        List<Item> items = query(tag, before, limit + 1);
        for (int attempt = 1; tag == null && !contiguous(items) && attempt < CONTIGUOUS_LIST_ATTEMPTS; attempt++) {
            // a write still being applied: its number is taken but not yet visible; it will be in a moment
            pauseBriefly();
            items = query(null, before, limit + 1);
        }
        if (items.size() > limit) {
            List<Item> page = items.subList(0, limit);
            return new ItemPage(page, page.get(limit - 1).id());
        }
        return new ItemPage(items, null);
    }

    private static boolean contiguous(List<Item> newestFirst) {
        for (int i = 1; i < newestFirst.size(); i++) {
            if (ItemId.sequenceOf(newestFirst.get(i - 1).id()) != ItemId.sequenceOf(newestFirst.get(i).id()) + 1) {
                return false;
            }
        }
        return true;
    }

    private static void pauseBriefly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while reading items", e);
        }
    }

    /** Newest first from the item partition (consistent) or one tag of the GSI, below {@code before}. */
    private List<Item> query(String tag, String before, int limit) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        String condition;
        if (tag == null) {
            names.put("#pk", PK);
            values.put(":pk", s(ITEM_PK));
            condition = "#pk = :pk";
        } else {
            names.put("#tag", TAG);
            values.put(":tag", s(tag));
            condition = "#tag = :tag";
        }
        if (before != null) {
            names.put("#sk", SK);   // DynamoDB rejects names an expression does not use
            values.put(":cursor", s(before));
            condition += " AND #sk < :cursor";
        }
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(table.name())
                .keyConditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .scanIndexForward(false);
        if (tag == null) {
            request.consistentRead(true);   // GSIs cannot read consistently; the base table can
        } else {
            request.indexName(TAG_INDEX);
        }
        return pages(request, limit);
    }

    /** Follows DynamoDB's pages (1 MB each) until {@code limit} items or the end. */
    private List<Item> pages(QueryRequest.Builder request, int limit) {
        List<Item> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        try {
            do {
                QueryResponse page = table.dynamo().query(request.limit(limit - items.size()).exclusiveStartKey(start).build());
                page.items().forEach(row -> items.add(ItemCodec.item(row)));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && items.size() < limit);
        } catch (SdkException e) {
            throw new StoreUnavailableException("items could not be read: " + e.getMessage(), e);
        }
        return items;
    }
}
