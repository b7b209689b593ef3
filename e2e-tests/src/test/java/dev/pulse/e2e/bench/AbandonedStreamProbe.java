package dev.pulse.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.sse.SseConnection;
import dev.pulse.testing.SseFrame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * How long an environment stays taken after its client has gone. Needs a stack whose SSE function has
 * exactly one environment ({@code PULSE_SSE_CONCURRENCY=1}): a stream is opened, its first event read, and
 * the client drops the connection. Lambda (and the local stack, faithfully) does not tell the function, so
 * the stream runs on and every request to the function gets 429 until the stream ends by itself; the probe
 * asks {@code GET /api/v2/stream/status} every {@code every} until it is no longer 429.
 */
final class AbandonedStreamProbe {
    private static final String STATUS = "/api/v2/stream/status";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param maxStreamSeconds the function's {@code max_stream_seconds}, from its status before the test
     * @param freeAfterMillis  client dropped → first non-429 answer
     * @param openMillis       stream opened → client dropped (so open → free = the sum)
     */
    record Result(long maxStreamSeconds, double freeAfterMillis, double openMillis, int refused) {
    }

    private AbandonedStreamProbe() {
    }

    static Result run(PulseClient client, Duration every, Duration giveUp) {
        long maxStream = maxStreamSeconds(client, giveUp);
        long opened = System.nanoTime();
        try (SseConnection c = SseConnection.open(client, "/api/v2/stream", null, Duration.ofSeconds(30))) {
            if (c.status() != 200) {
                throw new IllegalStateException("GET /api/v2/stream → " + c.status());
            }
            c.readUntil(r -> r.frame() instanceof SseFrame.Event, Duration.ofSeconds(30));
        }   // closing it here is the client going away
        long dropped = System.nanoTime();
        int refused = 0;
        for (long tick = dropped + every.toNanos(); ; tick += every.toNanos()) {
            DeliveryProbe.sleep(Math.max(0, (tick - System.nanoTime()) / 1_000_000));
            int status = client.get(STATUS).statusCode();
            long at = System.nanoTime();
            if (status != 429) {
                if (status != 200) {
                    throw new IllegalStateException(STATUS + " → " + status + " after the stream was dropped");
                }
                return new Result(maxStream, (at - dropped) / 1e6, (dropped - opened) / 1e6, refused);
            }
            refused++;
            if (at - dropped > giveUp.toNanos()) {
                throw new IllegalStateException("the dropped stream's environment was still taken after " + giveUp);
            }
        }
    }

    /** The function's max stream length; waits while its one environment is still busy from earlier use. */
    private static long maxStreamSeconds(PulseClient client, Duration giveUp) {
        long until = System.nanoTime() + giveUp.toNanos();
        while (true) {
            HttpResponse<String> r = client.get(STATUS);
            if (r.statusCode() == 200) {
                try {
                    return JSON.readTree(r.body()).path("max_stream_seconds").asLong();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (r.statusCode() != 429 || System.nanoTime() > until) {
                throw new IllegalStateException(STATUS + " → " + r.statusCode() + ": " + r.body());
            }
            DeliveryProbe.sleep(250);
        }
    }
}
