package dev.pulse.dashboard;

import dev.pulse.core.DynamoItemStore;
import dev.pulse.core.PulseTable;
import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.testing.TestDynamo;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One DynamoDB emulator for every test class of this module, and a fresh table for each test. Starting moto
 * takes seconds, so it is started once per test JVM, on first use; the emulator's own shutdown hook stops it.
 */
final class StoreFixture {

    private static final AtomicInteger TABLES = new AtomicInteger();
    private static StoreFixture shared;
    private final DynamoDbEmulator emulator;
    private final DynamoDbClient client;

    private StoreFixture(DynamoDbEmulator emulator) {
        this.emulator = emulator;
        this.client = TestDynamo.client(emulator);
    }

    static synchronized StoreFixture shared() {
        if (shared == null) {
            shared = new StoreFixture(DynamoDbEmulator.shared());
        }
        return shared;
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
}
