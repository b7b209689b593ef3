package dev.pulse.core;

import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.testing.FaultyDynamoProxy.Fault;
import dev.pulse.testing.FaultyDynamoProxy;
import dev.pulse.testing.TestDynamo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The proxy's request counter, which the benchmark's read-cost figure rests on. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FaultyDynamoProxyTest {

    @Test
    void countsEveryForwardedRequestPerOperation_retriesIncluded() {
        DynamoDbEmulator emulator = DynamoDbEmulator.shared();
        try (DynamoDbClient direct = TestDynamo.client(emulator);
             FaultyDynamoProxy proxy = FaultyDynamoProxy.in(emulator.endpoint())
                     .add(new Fault("PutItem", "lose-once", Fault.Kind.DROP_ANSWER, Duration.ZERO, 1));
             DynamoDbClient client = TestDynamo.client(proxy.endpoint())) {
            PulseTable.create(direct, "counted");
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("A"), "sk", AttributeValue.fromS("1"));

            client.putItem(b -> b.tableName("counted").item(Map.of("pk", key.get("pk"), "sk", key.get("sk"),
                    "text", AttributeValue.fromS("lose-once"))));
            client.getItem(b -> b.tableName("counted").key(key).consistentRead(true));
            client.getItem(b -> b.tableName("counted").key(key));
            client.query(b -> b.tableName("counted").keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", key.get("pk"))));

            assertEquals(2, proxy.count("PutItem"), "the lost answer's retry counts too");
            assertEquals(2, proxy.count("GetItem"));
            assertEquals(1, proxy.count("Query"));
            assertEquals(0, proxy.count("TransactWriteItems"));
            assertEquals(0, proxy.count("CreateTable"), "requests sent around the proxy are not counted");
        }
    }
}
