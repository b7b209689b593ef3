package dev.pulse.e2e.bench;

import dev.pulse.e2e.client.PulseClient;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Write throughput alone: {@code writers} threads POST {@code items} items as fast as the API accepts them
 * (429s and 503s retried by {@link ItemWriter}), with no stream open. Every write is a conditional transaction on the
 * head record, so concurrent writers conflict there and retry: this measures that limit.
 */
final class WriteRateProbe {

    /** @param postMillis every write's send → 201, retries included */
    record Result(int items, double seconds, double writesPerSecond, List<Double> postMillis, int throttled,
                  int unavailable) {
    }

    private WriteRateProbe() {
    }

    static Result run(PulseClient client, String tag, int items, int writers) throws Exception {
        ItemWriter writer = new ItemWriter(client);
        List<Double> postMillis = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < items; i = next.getAndIncrement()) {
                        postMillis.add(writer.post(tag, i).millis());
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(items, seconds, items / seconds, List.copyOf(postMillis), writer.throttled(),
                writer.unavailable());
    }
}
