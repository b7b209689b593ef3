package dev.pulse.core;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemIdTest {

    @Test
    void idsAreValidAndCarryTheirMillis() {
        String id = new ItemId.Generator(Clock.fixed(Instant.ofEpochMilli(1764000000123L), ZoneOffset.UTC)).next();
        assertTrue(ItemId.isValid(id), id);
        assertEquals(1764000000123L, ItemId.millisOf(id));
    }

    @Test
    void stringOrderIsGenerationOrderEvenWithinOneMillisecond() {
        ItemId.Generator ids = new ItemId.Generator(Clock.fixed(Instant.ofEpochMilli(1764000000000L), ZoneOffset.UTC));
        List<String> generated = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            generated.add(ids.next());
        }
        List<String> sorted = new ArrayList<>(generated);
        sorted.sort(null);
        assertEquals(sorted, generated);
        assertEquals(generated.size(), new HashSet<>(generated).size());
    }

    @Test
    void aClockThatStepsBackDoesNotBreakOrder() {
        long[] now = {1764000000500L};
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId zone) { return this; }
            public Instant instant() { return Instant.ofEpochMilli(now[0]); }
        };
        ItemId.Generator ids = new ItemId.Generator(clock);
        String first = ids.next();
        now[0] -= 400;
        assertTrue(ids.next().compareTo(first) > 0);
    }

    @Test
    void concurrentCallersGetDistinctIds() throws Exception {
        ItemId.Generator ids = new ItemId.Generator();
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> all = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2000; i++) {
                    String id = ids.next();
                    seen.add(id);
                    all.add(id);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(all.size(), seen.size());
    }

    @Test
    void rejectsMalformedIds() {
        for (String bad : new String[]{null, "", "abc", "1764000000000", "1764000000000-", "1764000000000-00000G",
                "176400000000-000001", "1764000000000-0000001", "1764000000000_000001", " 1764000000000-000001"}) {
            assertFalse(ItemId.isValid(bad), String.valueOf(bad));
        }
    }

    @Test
    void lowerBoundSortsBeforeEveryIdOfThatMillisecond() {
        assertTrue(ItemId.lowerBound(1764000000000L).compareTo("1764000000000-000000") < 0);
        assertTrue(ItemId.lowerBound(1764000000000L).compareTo("1763999999999-ffffff") > 0);
    }
}
