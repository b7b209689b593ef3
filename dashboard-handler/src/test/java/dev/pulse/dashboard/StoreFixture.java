package dev.pulse.dashboard;

import dev.pulse.core.DynamoItemStore;
import dev.pulse.core.PulseTable;
import dev.pulse.testing.DynamoDbEmulator;
import dev.pulse.testing.TestDynamo;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.concurrent.atomic.AtomicInteger;

/** One DynamoDB emulator for a test class, and a fresh table for each test. */
final class StoreFixture implements AutoCloseable {

    private static final AtomicInteger TABLES = new AtomicInteger();
    private final DynamoDbEmulator emulator;
    private final DynamoDbClient client;

    private StoreFixture(DynamoDbEmulator emulator) {
        this.emulator = emulator;
        this.client = TestDynamo.client(emulator);
    }

    static StoreFixture start() {
        return new StoreFixture(DynamoDbEmulator.start());
    }

    DynamoItemStore freshStore() {
        return new DynamoItemStore(client, freshTable());
    }

    /** A new table's name, for a store with its own client (e.g. through a fault proxy). */
    String freshTable() {
        String table = "dashboard-test-" + TABLES.incrementAndGet();
        PulseTable.create(client, table);
        return table;
    }

    DynamoDbEmulator emulator() {
        return emulator;
    }

    @Override
    public void close() {
        client.close();
        emulator.close();
    }
}
