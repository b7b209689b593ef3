package dev.pulse.e2e.bench;

import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.SseConnection;
import dev.pulse.testing.SseFrame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Burst: {@code streams} streams filtered to a fresh tag are open; {@code writers} threads POST
 * {@code items} items with that tag as fast as the API accepts them; each stream counts its
 * {@code new_item}s (each id once) until it has them all. Lag = a stream's last event − the last
 * write's 201.
 */
final class BurstProbe {

    /**
     * @param lagMillis     per stream: its last event − the last write's 201 (negative when a push server delivers
     *                      the event before the writer has read its 201)
     * @param eventsPerSecond every delivered event of every stream / (last event − first write)
     */
    record Result(int items, int streams, int writers, double writeSeconds, double writesPerSecond,
                  List<Double> lagMillis, double eventsPerSecond, int missing, int duplicates, int throttled,
                  int unavailable) {
    }

    private BurstProbe() {
    }

    static Result run(PulseClient client, String tag, int items, int streams, int writers, Duration deliveryTimeout)
            throws Exception {
        ItemWriter writer = new ItemWriter(client);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<SseConnection> connections = new ArrayList<>();
        try {
            List<Future<SseConnection>> opening = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                opening.add(pool.submit(() -> {
                    SseConnection c = SseConnection.open(client, "/api/v2/stream?tags=" + tag, null, Duration.ofSeconds(60));
                    if (c.status() != 200) {
                        throw new IllegalStateException("stream → " + c.status());
                    }
                    c.readUntil(r -> r.event("metrics") != null, Duration.ofSeconds(60));
                    return c;
                }));
            }
            for (Future<SseConnection> f : opening) {
                connections.add(f.get());
            }

            AtomicLong lastEventAt = new AtomicLong();
            AtomicInteger duplicates = new AtomicInteger();
            AtomicInteger missing = new AtomicInteger();
            long[] streamLast = new long[streams];
            AtomicLong readDeadline = new AtomicLong(Long.MAX_VALUE);
            List<CompletableFuture<Void>> readers = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                int index = s;
                SseConnection c = connections.get(s);
                readers.add(CompletableFuture.runAsync(() -> {
                    Set<String> ids = new HashSet<>();
                    while (ids.size() < items && System.nanoTime() - readDeadline.get() < 0) {
                        Optional<Received> r = c.next(Duration.ofMillis(200));
                        if (r.isEmpty()) {
                            if (c.ended()) {
                                break;
                            }
                            continue;
                        }
                        SseFrame.Event e = r.get().event("new_item");
                        if (e != null) {
                            if (!ids.add(e.lastEventId())) {
                                duplicates.incrementAndGet();
                            }
                            streamLast[index] = r.get().atNanos();
                            lastEventAt.accumulateAndGet(r.get().atNanos(), Math::max);
                        }
                    }
                    missing.addAndGet(items - ids.size());
                }, pool));
            }

            AtomicInteger next = new AtomicInteger();
            AtomicLong lastWriteDone = new AtomicLong();
            long firstWrite = System.nanoTime();
            List<Future<?>> writing = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                writing.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < items; i = next.getAndIncrement()) {
                        lastWriteDone.accumulateAndGet(writer.post(tag, i).doneAtNanos(), Math::max);
                    }
                    return null;
                }));
            }
            for (Future<?> f : writing) {
                f.get();
            }
            readDeadline.set(System.nanoTime() + deliveryTimeout.toNanos());
            CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).get();

            double writeSeconds = (lastWriteDone.get() - firstWrite) / 1e9;
            List<Double> lags = new ArrayList<>();
            for (long at : streamLast) {
                lags.add((at - lastWriteDone.get()) / 1e6);
            }
            long delivered = (long) items * streams - missing.get();
            double eventsPerSecond = delivered / ((lastEventAt.get() - firstWrite) / 1e9);
            return new Result(items, streams, writers, writeSeconds, items / writeSeconds, lags, eventsPerSecond,
                    missing.get(), duplicates.get(), writer.throttled(), writer.unavailable());
        } finally {
            connections.forEach(SseConnection::close);
            pool.shutdownNow();
        }
    }
}
