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
 * Write throughput alone: {@code writers} threads send {@code posts} POSTs as fast as the API accepts them
 * (429s and 503s retried by {@link ItemWriter}), with no stream open. Every write is a conditional transaction on the
 * head record, so concurrent writers conflict there and retry: this measures that limit, for single items and for
 * batches.
 */
final class WriteRateProbe {

    /** What one POST carries: one item with a key, one item without a key, or a batch of {@code size} under one key. */
    record Shape(int size, boolean keyed) {
        static final Shape SINGLE = new Shape(1, true);
        static final Shape SINGLE_WITHOUT_KEY = new Shape(1, false);

        static Shape batch(int size) {
            return new Shape(size, true);
        }
    }

    /** @param postMillis every POST's send → 201, retries included */
    record Result(int items, double seconds, double itemsPerSecond, List<Double> postMillis, int throttled,
                  int unavailable) {
    }

    private WriteRateProbe() {
    }

    static Result run(PulseClient client, String tag, int posts, int writers, Shape shape) throws Exception {
        ItemWriter writer = new ItemWriter(client);
        List<Double> postMillis = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < posts; i = next.getAndIncrement()) {
                        ItemWriter.Written written = shape.size() > 1 ? writer.postBatch(tag, i * shape.size(), shape.size())
                                : shape.keyed() ? writer.post(tag, i) : writer.postWithoutKey(tag, i);
                        postMillis.add(written.millis());
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int items = posts * shape.size();
        return new Result(items, seconds, items / seconds, List.copyOf(postMillis), writer.throttled(),
                writer.unavailable());
    }
}
