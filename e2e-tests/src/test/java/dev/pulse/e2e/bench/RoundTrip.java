package dev.pulse.e2e.bench;

import dev.pulse.e2e.client.PulseClient;

/** One plain request/response time: send → whole body read. Any status counts (the baseline answers 404). */
final class RoundTrip {
    private RoundTrip() {
    }

    static double millis(PulseClient client, String path) {
        long start = System.nanoTime();
        client.get(path);
        return (System.nanoTime() - start) / 1e6;
    }
}
