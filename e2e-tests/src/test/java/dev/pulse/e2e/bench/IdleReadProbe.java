package dev.pulse.e2e.bench;

import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.SseConnection;
import dev.pulse.testing.FaultyDynamoProxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What idle streams cost in DynamoDB requests, counted by a proxy between the stack and its table: a quiet
 * window with no stream gives the stack's own background rate; then one stream is opened alone (its
 * start-up requests counted: the snapshot and the first poll), then the others, and all are left idle for
 * {@code window} (nothing written to this table); the requests in that window, less the background, are
 * divided by streams × seconds. Assumes a poll interval well above {@value #SETTLE_MS} ms.
 */
final class IdleReadProbe {
    /** Every DynamoDB operation that reads. */
    static final List<String> READS = List.of("GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems");
    /** After the first event: the first poll has been made (at once), the second is a poll interval away. */
    private static final long SETTLE_MS = 400;

    /**
     * @param perStreamPerSecond read requests per idle stream per second, per operation
     * @param perStreamStart     read requests to open a stream (snapshot and first poll), per operation
     */
    record Result(int streams, double windowSeconds, Map<String, Double> perStreamPerSecond,
                  Map<String, Double> perStreamStart) {
    }

    private IdleReadProbe() {
    }

    static Result run(PulseClient client, FaultyDynamoProxy counted, int streams, Duration quiet, Duration window) {
        Map<String, Long> q0 = counts(counted);
        long quietStart = System.nanoTime();
        DeliveryProbe.sleep(quiet.toMillis());
        Map<String, Double> background = rates(q0, counts(counted), (System.nanoTime() - quietStart) / 1e9, 1);

        List<SseConnection> open = new ArrayList<>();
        try {
            // The first stream alone: the reads of a stream start (snapshot, first poll), before its next poll.
            Map<String, Long> s0 = counts(counted);
            long openStart = System.nanoTime();
            open.add(open(client));
            DeliveryProbe.sleep(SETTLE_MS);
            Map<String, Double> start = minus(rates(s0, counts(counted), 1, 1), background,
                    (System.nanoTime() - openStart) / 1e9);
            for (int i = 1; i < streams; i++) {
                open.add(open(client));
            }

            Map<String, Long> w0 = counts(counted);
            long windowStart = System.nanoTime();
            DeliveryProbe.sleep(window.toMillis());
            Map<String, Long> w1 = counts(counted);
            double seconds = (System.nanoTime() - windowStart) / 1e9;
            for (SseConnection c : open) {
                assertIdle(c);
            }
            return new Result(streams, seconds, minus(rates(w0, w1, seconds, streams), background, 1.0 / streams),
                    start);
        } finally {
            open.forEach(SseConnection::close);
        }
    }

    private static SseConnection open(PulseClient client) {
        SseConnection c = SseConnection.open(client, "/api/v2/stream", null, Duration.ofSeconds(30));
        if (c.status() != 200) {
            c.close();
            throw new IllegalStateException("an idle stream → " + c.status());
        }
        c.readUntil(r -> r.event("metrics") != null, Duration.ofSeconds(30));
        return c;
    }

    /** Only heartbeats since the snapshot, and still open: else the window was not idle. */
    private static void assertIdle(SseConnection c) {
        for (Optional<Received> r = c.next(Duration.ZERO); r.isPresent(); r = c.next(Duration.ZERO)) {
            if (!r.get().isComment("heartbeat")) {
                throw new IllegalStateException("an idle stream got " + r.get().frame() + ": the window was not idle");
            }
        }
        if (c.ended()) {
            throw new IllegalStateException("an idle stream ended during the window: " + c.failure());
        }
    }

    private static Map<String, Long> counts(FaultyDynamoProxy counted) {
        Map<String, Long> m = new LinkedHashMap<>();
        READS.forEach(op -> m.put(op, counted.count(op)));
        return m;
    }

    private static Map<String, Double> rates(Map<String, Long> before, Map<String, Long> after, double seconds,
                                             int streams) {
        Map<String, Double> m = new LinkedHashMap<>();
        before.forEach((op, n) -> m.put(op, (after.get(op) - n) / seconds / streams));
        return m;
    }

    /** {@code m} less {@code background × factor}, per operation. */
    private static Map<String, Double> minus(Map<String, Double> m, Map<String, Double> background, double factor) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((op, v) -> out.put(op, v - background.get(op) * factor));
        return out;
    }
}
