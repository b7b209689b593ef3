package dev.pulse.core;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.HashMap;
import java.util.Map;

import static dev.pulse.core.ItemCodec.number;
import static dev.pulse.core.ItemCodec.s;
import static dev.pulse.core.PulseTable.PK;
import static dev.pulse.core.PulseTable.SK;
import static dev.pulse.core.PulseTable.TAG_COUNT_PK;

/**
 * The counters: the head record ({@code seq}, the per-label totals, {@code updated_at}) and the per-tag counter
 * records, read in O(1) of the number of items.
 */
final class MetricsReader {

    private static final int CONSISTENT_METRICS_ATTEMPTS = 5;

    private final Table table;
    private final int maxTags;

    MetricsReader(Table table, int maxTags) {
        this.table = table;
        this.maxTags = maxTags;
    }

    /** The head's {@code seq}: one strongly consistent read of one attribute. */
    long lastSequence() {
        Map<String, AttributeValue> head;
        try {
            head = table.dynamo().getItem(b -> b.tableName(table.name()).key(PulseTable.headKey()).consistentRead(true)
                    .projectionExpression("#seq").expressionAttributeNames(Map.of("#seq", "seq"))).item();
        } catch (SdkException e) {
            throw new StoreUnavailableException("the newest item number could not be read: " + e.getMessage(), e);
        }
        return number(head, "seq");
    }

    /**
     * The head and the tag counters are two reads; they agree when the tag counts add up to the total
     * (every item has one tag). When a write lands between them, read again.
     */
    Metrics metrics() {
        Metrics metrics = null;
        for (int attempt = 0; attempt < CONSISTENT_METRICS_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> head = table.getConsistent(PulseTable.headKey());
            TagCounts tags = tagCounts();
            metrics = metrics(head, tags);
            if (tags.truncated() || tags.sum() == metrics.total()) {
                return metrics;
            }
            metrics = metrics(table.getConsistent(PulseTable.headKey()), tags);
            if (tags.sum() == metrics.total()) {
                return metrics;
            }
        }
        return metrics;   // writes kept landing in between: the totals are exact, by_tag is within a few
    }

    private record TagCounts(Map<String, Long> counts, Map<String, LabelCounts> labels, boolean truncated) {
        long sum() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private TagCounts tagCounts() {
        // Pages hold at most maxTags + 1 rows: one more than reported tells that there are more.
        Map<String, Long> counts = new HashMap<>();
        Map<String, LabelCounts> labels = new HashMap<>();
        Map<String, AttributeValue> start = null;
        boolean truncated = false;
        try {
            do {
                QueryResponse page = table.dynamo().query(QueryRequest.builder()
                        .tableName(table.name())
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", PK))
                        .expressionAttributeValues(Map.of(":pk", s(TAG_COUNT_PK)))
                        .consistentRead(true)
                        .limit(maxTags + 1 - counts.size())
                        .exclusiveStartKey(start)
                        .build());
                for (Map<String, AttributeValue> row : page.items()) {
                    if (counts.size() == maxTags) {
                        truncated = true;
                        break;
                    }
                    counts.put(row.get(SK).s(), number(row, "count"));
                    labels.put(row.get(SK).s(), new LabelCounts(number(row, "positive"), number(row, "neutral"),
                            number(row, "negative")));
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && !truncated);
        } catch (SdkException e) {
            throw new StoreUnavailableException("metrics could not be read: " + e.getMessage(), e);
        }
        return new TagCounts(counts, labels, truncated);
    }

    private static Metrics metrics(Map<String, AttributeValue> head, TagCounts tags) {
        if (head.isEmpty()) {
            return new Metrics(0, 0, 0, 0, tags.counts(), tags.labels(), tags.truncated(), null);
        }
        AttributeValue updated = head.get("updated_at");
        return new Metrics(number(head, "seq"), number(head, "positive"), number(head, "neutral"),
                number(head, "negative"), tags.counts(), tags.labels(), tags.truncated(),
                updated == null ? null : updated.s());
    }
}
