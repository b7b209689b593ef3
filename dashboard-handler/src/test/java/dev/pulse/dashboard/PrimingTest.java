package dev.pulse.dashboard;

import dev.pulse.core.ItemPage;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Metrics;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Init does the first request's store reads and paths, writes nothing to the table, and answers nobody. */
class PrimingTest {

    /** Every call the handler makes to its store, by method name; reads answer as an empty table does. */
    static ItemStore recording(List<String> calls) {
        return (ItemStore) Proxy.newProxyInstance(ItemStore.class.getClassLoader(), new Class<?>[]{ItemStore.class},
                (proxy, method, args) -> {
                    calls.add(method.getName());
                    Class<?> type = method.getReturnType();
                    if (type == Metrics.class) {
                        return new Metrics(0, 0, 0, 0, Map.of(), null);
                    }
                    if (type == ItemPage.class) {
                        return new ItemPage(List.of(), null);
                    }
                    if (type == Optional.class) {
                        return Optional.empty();
                    }
                    if (type == String.class) {
                        return "priming-test";
                    }
                    if (type == long.class) {
                        return 0L;
                    }
                    if (type == List.class) {
                        return List.of();
                    }
                    return null;
                });
    }

    @Test
    void primingReadsTheTableThroughTheRealPaths_andStoresNothing() {
        List<String> calls = new CopyOnWriteArrayList<>();
        List<String> lines = new CopyOnWriteArrayList<>();
        DashboardHandler handler = new DashboardHandler(recording(calls),
                DashboardConfig.fromEnvironment(Map.of("SSE_URL", "http://127.0.0.1:1/")),
                new dev.pulse.core.telemetry.Telemetry("dashboard", "test", dev.pulse.core.telemetry.Level.DEBUG,
                        lines::add, java.time.Clock.systemUTC()));
        handler.prime();
        assertTrue(calls.contains("ping"), "the health check reached the table: " + calls);
        assertTrue(calls.contains("metrics"), "the counters were read: " + calls);
        assertTrue(calls.contains("newest"), "a page of items was read: " + calls);
        assertTrue(calls.stream().noneMatch(name -> name.startsWith("put")), "nothing was written: " + calls);
        assertEquals(List.of(), lines, "no request line: nobody asked");
    }

    @Test
    void onlyPulsePrimingOffSkipsIt() {
        assertTrue(Priming.enabled(Map.of()), "primes by default");
        assertTrue(Priming.enabled(Map.of("PULSE_PRIMING", "on")));
        assertFalse(Priming.enabled(Map.of("PULSE_PRIMING", " OFF ")), "off, in any case and spacing, skips it");
    }
}
