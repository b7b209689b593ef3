package dev.pulse.e2e.bench;

import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.ReconnectingSseReader;
import dev.pulse.testing.SseFrame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A live client across server-ended streams: an EventSource-like reader (honouring {@code retry:}, resuming
 * with {@code Last-Event-ID}) stays on a tag-filtered stream while one writer POSTs an item to that tag at
 * random intervals (mean {@code meanIntervalMillis}). Per rotation, the gap is the {@code reconnect} event's
 * arrival → the next connection's first event (the client is caught up again). Per item, delivery is its
 * POST → its {@code new_item}, whether it came live or was replayed after a gap.
 */
final class RotationProbe {

    /**
     * @param gapMillis       per rotation: reconnect event → the next connection's first event
     * @param deliveryMillis  per item written: POST sent → new_item at the client
     * @param seconds         first snapshot → last item read
     * @param rejected        non-200 answers to reconnects (e.g. 429 while every environment was busy)
     */
    record Result(List<Double> gapMillis, List<Double> deliveryMillis, double seconds, int connections, int rejected,
                  int missing, int duplicates, int outOfOrder) {
    }

    private RotationProbe() {
    }

    static Result run(PulseClient client, String tag, Duration writing, long meanIntervalMillis) throws Exception {
        ItemWriter writer = new ItemWriter(client);
        ConcurrentLinkedQueue<ItemWriter.Written> written = new ConcurrentLinkedQueue<>();
        List<Double> gaps = new ArrayList<>();
        Map<String, Long> arrivals = new HashMap<>();
        int duplicates = 0;
        int outOfOrder = 0;
        try (ReconnectingSseReader reader = new ReconnectingSseReader(client, "/api/v2/stream?tags=" + tag, null, null)
                .start()) {
            long began = read(reader, Duration.ofSeconds(30)).filter(r -> r.event("metrics") != null)
                    .orElseThrow(() -> new IllegalStateException("no metrics snapshot within 30 s")).atNanos();
            CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
                long until = System.nanoTime() + writing.toNanos();
                for (int i = 0; System.nanoTime() < until; i++) {
                    DeliveryProbe.sleep(ThreadLocalRandom.current().nextLong(2 * meanIntervalMillis + 1));
                    written.add(writer.post(tag, i));
                }
            });
            long reconnectAt = 0;
            int reconnectConnection = 0;
            String lastId = "";
            long lastItemAt = began;
            long readUntil = Long.MAX_VALUE;
            while (System.nanoTime() - readUntil < 0) {
                if (writes.isDone() && readUntil == Long.MAX_VALUE) {
                    writes.join();   // surfaces a failed write
                    readUntil = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                }
                if (writes.isDone() && arrivals.size() >= written.size()) {
                    break;
                }
                Optional<Received> next = reader.next(Duration.ofMillis(200));
                if (next.isEmpty() || !(next.get().frame() instanceof SseFrame.Event e)) {
                    continue;
                }
                Received r = next.get();
                if (reconnectAt != 0 && r.connection() != reconnectConnection) {
                    gaps.add((r.atNanos() - reconnectAt) / 1e6);
                    reconnectAt = 0;
                }
                switch (e.type()) {
                    case "reconnect" -> {
                        reconnectAt = r.atNanos();
                        reconnectConnection = r.connection();
                    }
                    case "new_item" -> {
                        if (arrivals.putIfAbsent(e.lastEventId(), r.atNanos()) != null) {
                            duplicates++;
                        }
                        if (e.lastEventId().compareTo(lastId) <= 0) {
                            outOfOrder++;
                        }
                        lastId = e.lastEventId();
                        lastItemAt = r.atNanos();
                    }
                    default -> { }
                }
            }
            List<Double> delivery = new ArrayList<>();
            int missing = 0;
            for (ItemWriter.Written w : written) {
                Long at = arrivals.get(w.id());
                if (at == null) {
                    missing++;
                } else {
                    delivery.add((at - w.sentAtNanos()) / 1e6);
                }
            }
            return new Result(gaps, delivery, (lastItemAt - began) / 1e9, reader.connections(),
                    reader.failedStatuses().size(), missing, duplicates, outOfOrder);
        }
    }

    private static Optional<Received> read(ReconnectingSseReader reader, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            Optional<Received> r = reader.next(Duration.ofMillis(200));
            if (r.isPresent() && r.get().frame() instanceof SseFrame.Event) {
                return r;
            }
        }
        return Optional.empty();
    }
}
