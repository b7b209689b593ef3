package dev.pulse.core;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/** One attempt's actions, and what each kind of cancellation DynamoDB reports means for the write. */
class IngestTransactionTest {

    private static final String WRITE_ID = "write-1";
    private static final List<NewItem> THREE = List.of(
            new NewItem("AAPL", "positive", 0.9, "one", null),
            new NewItem("MSFT", "neutral", 0.5, "two", "wire"),
            new NewItem("AAPL", "negative", 0.1, "three", null));

    private static IngestTransaction attempt(IngestTransaction.Claim claim) {
        return IngestTransaction.at("t", 5, THREE, WRITE_ID, claim, Instant.parse("2026-12-05T10:00:00.123456Z"));
    }

    /** Reasons for the attempt's actions: every one "None" but those given. */
    private static TransactionCanceledException cancelled(IngestTransaction attempt, Map<Integer, CancellationReason> failed) {
        List<CancellationReason> reasons = new ArrayList<>();
        for (int i = 0; i < attempt.actions().size(); i++) {
            reasons.add(failed.getOrDefault(i, CancellationReason.builder().code("None").build()));
        }
        return TransactionCanceledException.builder().cancellationReasons(reasons).message("cancelled").build();
    }

    private static CancellationReason conditionFailed(Map<String, AttributeValue> item) {
        return CancellationReason.builder().code("ConditionalCheckFailed").item(item).build();
    }

    @Test
    void theItemsTakeTheNextNumbersInOrder_withTheirCountersAndTheKeysRecord() {
        IngestTransaction attempt = attempt(new IngestTransaction.Claim("client#k", "digest"));
        assertEquals(List.of(ItemId.of(6), ItemId.of(7), ItemId.of(8)), attempt.items().stream().map(Item::id).toList());
        assertEquals(List.of("one", "two", "three"), attempt.items().stream().map(Item::text).toList());
        assertEquals("2026-12-05T10:00:00.123Z", attempt.items().getFirst().ts(), "one ts, to the millisecond");
        assertEquals(8, attempt.last());

        List<TransactWriteItem> actions = attempt.actions();
        assertEquals(1 + 3 + 2 + 1, actions.size(), "head, three items, two tags, the key's record");
        assertEquals("#seq = :expected", actions.get(0).update().conditionExpression());
        assertEquals("8", actions.get(0).update().expressionAttributeValues().get(":next").n());
        assertEquals(WRITE_ID, actions.get(1).put().item().get(PulseTable.WRITE_ID).s());
        assertEquals(ReturnValuesOnConditionCheckFailure.ALL_OLD, actions.get(1).put().returnValuesOnConditionCheckFailure());
        assertNull(actions.get(2).put().item().get(PulseTable.WRITE_ID), "only the first item carries the write's id");
        assertEquals("2", actions.get(4).update().expressionAttributeValues().get(":count").n(), "AAPL counted twice");
        assertEquals(ItemId.of(6), actions.get(6).put().item().get("item_id").s(), "the key's record names the first item");
        assertEquals("3", actions.get(6).put().item().get("item_count").n());
    }

    @Test
    void theLargestBatchWithATagPerItemAndAKeyIs100Actions() {
        List<NewItem> largest = IntStream.range(0, ItemStore.MAX_BATCH)
                .mapToObj(i -> new NewItem("T" + i, "neutral", 0.5, "item " + i, null)).toList();
        IngestTransaction attempt = IngestTransaction.at("t", 0, largest, WRITE_ID,
                new IngestTransaction.Claim("client#k", "d"), Instant.now());
        assertEquals(100, attempt.actions().size(), "DynamoDB's limit for one transaction");
        assertEquals("attribute_not_exists(#seq)", attempt.actions().getFirst().update().conditionExpression(),
                "the first write of a table creates the head");
    }

    @Test
    void eachCancellationSaysWhatToDo() {
        IngestTransaction keyed = attempt(new IngestTransaction.Claim("client#k", "digest"));
        Map<String, AttributeValue> ours = Map.of(PulseTable.WRITE_ID, AttributeValue.fromS(WRITE_ID));
        Map<String, AttributeValue> theirs = Map.of(PulseTable.WRITE_ID, AttributeValue.fromS("another write"));
        Map<String, AttributeValue> record = Map.of("item_id", AttributeValue.fromS(ItemId.of(3)));

        assertInstanceOf(IngestTransaction.Outcome.OwnCommit.class, keyed.explain(cancelled(keyed,
                Map.of(0, conditionFailed(null), 1, conditionFailed(ours), 6, conditionFailed(record)))),
                "the SDK resent a write that committed: the first item has this write's id");
        IngestTransaction.Outcome taken = keyed.explain(cancelled(keyed,
                Map.of(0, conditionFailed(null), 1, conditionFailed(theirs), 6, conditionFailed(record))));
        assertEquals(new IngestTransaction.Outcome.ClaimTaken(record), taken, "the key's record decides before the head");
        assertInstanceOf(IngestTransaction.Outcome.HeadMoved.class, keyed.explain(cancelled(keyed,
                Map.of(0, conditionFailed(null), 1, conditionFailed(theirs)))), "another write took the number");
        assertEquals(new IngestTransaction.Outcome.NumberTaken(ItemId.of(7)), keyed.explain(cancelled(keyed,
                Map.of(2, conditionFailed(null)))), "the head's condition held, yet number 7 is taken");
        assertInstanceOf(IngestTransaction.Outcome.Contended.class, keyed.explain(cancelled(keyed,
                Map.of(0, CancellationReason.builder().code("TransactionConflict").build(),
                        4, CancellationReason.builder().code("ThrottlingError").build()))));
        assertInstanceOf(IngestTransaction.Outcome.Refused.class, keyed.explain(cancelled(keyed,
                Map.of(3, CancellationReason.builder().code("ValidationError").build()))));
        assertInstanceOf(IngestTransaction.Outcome.Refused.class, keyed.explain(
                TransactionCanceledException.builder().message("no reasons").build()), "nothing to go by");

        IngestTransaction keyless = attempt(null);
        assertInstanceOf(IngestTransaction.Outcome.HeadMoved.class, keyless.explain(cancelled(keyless,
                Map.of(0, conditionFailed(null), 1, conditionFailed(theirs)))));
    }
}
