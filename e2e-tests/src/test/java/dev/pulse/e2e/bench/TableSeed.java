package dev.pulse.e2e.bench;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fills a Pulse table with {@code n} items straight through DynamoDB, in the layout core's
 * {@code DynamoItemStore} writes (see {@code PulseTable}): items {@code pk=ITEM, sk=<16-digit id>}, the head
 * {@code pk=METRICS, sk=ALL} with {@code seq} and the label counters, one {@code pk=TAG_COUNT} record per tag.
 *
 * <p>Why not through the API or {@code DynamoItemStore.put}: every write is a transaction on the head, one
 * at a time, which moto takes at ~25-60/s, so 20,000 items would take 6-13 minutes; BatchWriteItem takes 25
 * at once. The layout is copied here on purpose rather than imported (e2e code stays black-box and never
 * links core's main classes); the bench checks it: {@code /api/v2/metrics} must count every seeded item and
 * the replay must parse every one in order, so a drift fails loudly.
 */
final class TableSeed {
    private static final int BATCH = 25;   // DynamoDB's BatchWriteItem limit
    private static final String[] LABELS = {"positive", "neutral", "negative"};

    private TableSeed() {
    }

    /** Seeds items 1..n into an empty table, tags spread over {@code tags} values of {@code tagPrefix + i}. */
    static void items(DynamoDbClient dynamo, String table, int n, String tagPrefix, int tags) {
        Map<String, Long> perTag = new TreeMap<>();
        long[] perLabel = new long[LABELS.length];
        String ts = Instant.now().toString();
        List<WriteRequest> batch = new ArrayList<>(BATCH);
        for (int i = 1; i <= n; i++) {
            String tag = tagPrefix + (i % tags);
            String label = LABELS[i % LABELS.length];
            perTag.merge(tag, 1L, Long::sum);
            perLabel[i % LABELS.length]++;
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("pk", s("ITEM"));
            item.put("sk", s(String.format("%016d", i)));
            item.put("tag", s(tag));
            item.put("label", s(label));
            item.put("score", AttributeValue.fromN("0.5"));
            item.put("text", s("seeded item " + i + " for the replay benchmark"));
            item.put("source", s("bench"));
            item.put("ts", s(ts));
            batch.add(put(item));
            if (batch.size() == BATCH) {
                write(dynamo, table, batch);
                batch.clear();
            }
        }
        perTag.forEach((tag, count) -> batch.add(put(Map.of(
                "pk", s("TAG_COUNT"), "sk", s(tag), "count", AttributeValue.fromN(Long.toString(count))))));
        Map<String, AttributeValue> head = new HashMap<>(Map.of(
                "pk", s("METRICS"), "sk", s("ALL"), "seq", AttributeValue.fromN(Integer.toString(n)),
                "updated_at", s(ts)));
        for (int l = 0; l < LABELS.length; l++) {
            head.put(LABELS[l], AttributeValue.fromN(Long.toString(perLabel[l])));
        }
        batch.add(put(head));   // last: the head counts only items that are already there
        for (int from = 0; from < batch.size(); from += BATCH) {
            write(dynamo, table, batch.subList(from, Math.min(batch.size(), from + BATCH)));
        }
    }

    private static void write(DynamoDbClient dynamo, String table, List<WriteRequest> requests) {
        Map<String, List<WriteRequest>> pending = Map.of(table, List.copyOf(requests));
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > 10) {
                throw new IllegalStateException("BatchWriteItem kept leaving items unprocessed");
            }
            Map<String, List<WriteRequest>> send = pending;
            BatchWriteItemResponse r = dynamo.batchWriteItem(b -> b.requestItems(send));
            pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
        }
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
