package dev.pulse.e2e.bench;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReadUnitsTest {

    @Test
    void sizesAnItemAsDynamoDbDoes() {
        Map<String, AttributeValue> head = Map.of("pk", AttributeValue.fromS("METRICS"), "sk", AttributeValue.fromS("ALL"),
                "seq", AttributeValue.fromN("20000"));
        assertEquals(2 + 7 + 2 + 3 + 3 + 2, ReadUnits.itemBytes(head), "names + values; 20000 is one significant digit");
        assertEquals(5 + 4, ReadUnits.itemBytes(Map.of("score", AttributeValue.fromN("123456"))));
        assertEquals(5 + 2, ReadUnits.itemBytes(Map.of("score", AttributeValue.fromN("0.5"))));
        assertEquals((1 + 5) + (1 + 3), ReadUnits.itemsBytes(List.of(Map.of("t", AttributeValue.fromS("été")),
                Map.of("t", AttributeValue.fromS("abc")))), "UTF-8 bytes, summed over a query's items");
    }

    @Test
    void aStronglyConsistentReadCostsOneUnitPer4KbStartedAndAtLeastOne() {
        assertEquals(1, ReadUnits.units(0));
        assertEquals(1, ReadUnits.units(85));
        assertEquals(1, ReadUnits.units(4096));
        assertEquals(2, ReadUnits.units(4097));
    }
}
