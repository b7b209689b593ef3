package dev.pulse.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.local.LocalPulseProcess;
import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.testing.FaultyDynamoProxy;
import dev.pulse.testing.TestDynamo;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What streams cost and how they rotate, on three stacks of their own (started after stacks A and B are gone):
 * <ul>
 *   <li><b>C</b> — defaults, table behind a counting proxy ({@link FaultyDynamoProxy#count}): read units per idle
 *       stream-hour (the write path has its own phase, {@link WritePathPhase});</li>
 *   <li><b>D</b> — defaults, one SSE environment, a table seeded with {@value #REPLAY_ITEMS} items: the time
 *       until an abandoned environment is free, then the RSS of a replay of the whole table;</li>
 *   <li><b>E</b> — streams end every {@value #ROTATION_STREAM_SECONDS} s: the reconnect gap and delivery across
 *       rotations, with a reader that honours {@code retry:}.</li>
 * </ul>
 * The light probes (abandoned environment: mostly waiting; idle reads: counting) run beside the rotation
 * probe; the heavy one (the replay) runs alone.
 */
final class CostAndRotationPhase {
    static final int REPLAY_ITEMS = 20_000;
    static final int IDLE_STREAMS = 5;
    static final int ROTATION_STREAM_SECONDS = 5;
    /** On-demand read price, us-east-1, as published by AWS on the DynamoDB pricing page after the November 2024 cut. */
    static final double USD_PER_MILLION_RRU = 0.125;
    private static final double HOURS_PER_MONTH = 730;   // AWS's billing month
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Bench bench;
    /** A thread per task: the common pool has one thread on 2 cores, and these tasks mostly wait. */
    private final ExecutorService async = Executors.newVirtualThreadPerTaskExecutor();

    CostAndRotationPhase(Bench bench) {
        this.bench = bench;
    }

    void run(DeliveryProbe.Result baseDelivery) throws Exception {
        try (async) {
            stacks(baseDelivery);
        }
    }

    private void stacks(DeliveryProbe.Result baseDelivery) throws Exception {
        bench.progress().accept("stacks C (counted table), D (one SSE env, " + REPLAY_ITEMS + " items seeded), E (streams of "
                + ROTATION_STREAM_SECONDS + " s)");
        try (DynamoDbEmulator tableC = DynamoDbEmulator.start();
             FaultyDynamoProxy counted = FaultyDynamoProxy.in(tableC.endpoint());
             DynamoDbEmulator tableD = DynamoDbEmulator.start()) {
            CompletableFuture<LocalPulseProcess> startC = start(Map.of("PULSE_DYNAMODB_ENDPOINT", counted.endpoint().toString(),
                    "PULSE_TABLE", "pulse-bench-counted", "PULSE_DASHBOARD_CONCURRENCY", Integer.toString(bench.writers()),
                    "PULSE_SSE_CONCURRENCY", "16"));
            CompletableFuture<LocalPulseProcess> startE = start(Map.of("SSE_MAX_STREAM_SECONDS", Integer.toString(ROTATION_STREAM_SECONDS),
                    "SSE_POLL_INTERVAL_MS", "1000", "PULSE_SSE_CONCURRENCY", "4"));
            CompletableFuture<LocalPulseProcess> startD = start(Map.of("PULSE_DYNAMODB_ENDPOINT", tableD.endpoint().toString(),
                    "PULSE_TABLE", "pulse-bench-replay", "PULSE_SSE_CONCURRENCY", "1"))
                    .thenApply(d -> {
                        try (DynamoDbClient direct = TestDynamo.client(tableD)) {
                            TableSeed.items(direct, "pulse-bench-replay", REPLAY_ITEMS, "SEED", 8);
                        }
                        return d;
                    });
            try (LocalPulseProcess c = startC.join(); LocalPulseProcess d = startD.join(); LocalPulseProcess e = startE.join()) {
                PulseClient clientC = BenchMain.client(c);
                PulseClient clientD = BenchMain.client(d);
                JsonNode seeded = json(clientD.get("/api/v2/metrics").body());
                if (seeded.path("total").asLong() != REPLAY_ITEMS) {
                    throw new IllegalStateException("the seeded table is not what the store reads: " + seeded);
                }
                JsonNode statusC = json(clientC.get("/api/v2/stream/status").body());
                long maxStream = statusC.path("max_stream_seconds").asLong();
                bench.context().put("stack C", "the SSE defaults (poll " + statusC.path("poll_interval_ms").asLong() + " ms, streams of "
                        + maxStream + " s), PULSE_DASHBOARD_CONCURRENCY=" + bench.writers() + ", its moto behind a counting proxy");
                bench.context().put("stack D", "the SSE defaults, PULSE_SSE_CONCURRENCY=1, its moto seeded with " + REPLAY_ITEMS
                        + " items by BatchWriteItem");
                bench.context().put("stack E", "SSE_MAX_STREAM_SECONDS=" + ROTATION_STREAM_SECONDS
                        + " SSE_POLL_INTERVAL_MS=1000 PULSE_SSE_CONCURRENCY=4");

                bench.progress().accept("side by side: abandoned stream on D (≈ one stream length), " + IDLE_STREAMS
                        + " idle streams counted on C, a live reader across rotations on E");
                CompletableFuture<AbandonedStreamProbe.Result> abandoned = CompletableFuture.supplyAsync(
                        () -> AbandonedStreamProbe.run(clientD, Duration.ofMillis(250), Duration.ofSeconds(120)), async);
                CompletableFuture<IdleReadProbe.Result> idle = CompletableFuture.supplyAsync(
                        () -> IdleReadProbe.run(clientC, counted, IDLE_STREAMS, Duration.ofSeconds(8), Duration.ofSeconds(20)),
                        async);
                RotationProbe.Result rotation = RotationProbe.run(BenchMain.client(e), "ROT" + bench.runId(), Duration.ofSeconds(40), 250);
                e.close();   // its environments' CPU is not the replay's
                idle(idle.join(), tableC, maxStream);
                abandoned(abandoned.join());
                rotation(rotation, baseDelivery, maxStream);

                bench.progress().accept("stack D: replay of " + (REPLAY_ITEMS - 1) + " items from the first id");
                replay(ReplayProbe.run(clientD, d.pid(), REPLAY_ITEMS, Duration.ofSeconds(60)), maxStream);
            }
        }
    }

    private void idle(IdleReadProbe.Result r, DynamoDbEmulator tableC, long maxStreamSeconds) {
        long headBytes;
        long tagBytes;
        try (DynamoDbClient direct = TestDynamo.client(tableC)) {   // around the proxy: not counted
            headBytes = ReadUnits.itemBytes(direct.getItem(b -> b.tableName("pulse-bench-counted").consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS("METRICS"), "sk", AttributeValue.fromS("ALL")))).item());
            tagBytes = ReadUnits.itemsBytes(direct.query(b -> b.tableName("pulse-bench-counted").consistentRead(true)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("TAG_COUNT")))).items());
        }
        // GetItem reads the head (or an item); Query reads the tag counters (or, after a write, items: not idle).
        double getPerS = r.perStreamPerSecond().get("GetItem");
        double queryPerS = r.perStreamPerSecond().get("Query");
        double otherPerS = r.perStreamPerSecond().values().stream().mapToDouble(Double::doubleValue).sum() - getPerS - queryPerS;
        double startsPerHour = 3600.0 / maxStreamSeconds;
        double getPerStart = r.perStreamStart().get("GetItem");
        double queryPerStart = r.perStreamStart().get("Query");
        long headUnits = ReadUnits.units(headBytes);
        long tagUnits = ReadUnits.units(tagBytes);
        double pollUnits = (getPerS * headUnits + queryPerS * tagUnits + otherPerS) * 3600;
        double startUnits = startsPerHour * (getPerStart * headUnits + queryPerStart * tagUnits);
        double perHour = pollUnits + startUnits;
        bench.figures().add(new Figure("idle_read_units_per_stream_hour", "read units per idle stream-hour", "RRU",
                Stats.single(perHour), Stats.NONE, "", null, String.format(Locale.ROOT,
                "%d streams idle for %.0f s, DynamoDB requests counted by a proxy, less a no-stream window: %.3f GetItem"
                + " + %.3f Query per stream per second (one strongly consistent GetItem of the head per poll) → %.0f RRU"
                + " per hour; plus %.0f stream starts per hour (%d s streams) × (%.1f GetItem + %.1f Query: the snapshot"
                + " and the first poll; a resume skips that poll) → %.0f RRU. Head record %d bytes, tag counters %d bytes"
                + " in all: each read ≤ 4 KB strongly consistent = %d and %d RRU",
                r.streams(), r.windowSeconds(), getPerS, queryPerS, pollUnits, startsPerHour, maxStreamSeconds,
                getPerStart, queryPerStart, startUnits, headBytes, tagBytes, headUnits, tagUnits)));
        double usd = perHour * HOURS_PER_MONTH * USD_PER_MILLION_RRU / 1e6;
        bench.figures().add(new Figure("idle_usd_per_stream_month", "idle stream: read cost per month", "USD",
                Stats.single(usd), Stats.NONE, "", null, String.format(Locale.ROOT,
                "%.0f RRU/h × 730 h × $%.3f per million read request units (DynamoDB on-demand, us-east-1, as published"
                + " on AWS's DynamoDB pricing page after the November 2024 price cut; check it for today's price)."
                + " Lambda's own cost of the open stream (GB-seconds) is not included",
                perHour, USD_PER_MILLION_RRU)));
    }

    private void abandoned(AbandonedStreamProbe.Result r) {
        double seconds = r.freeAfterMillis() / 1000;
        bench.figures().add(new Figure("abandoned_env_free", "abandoned stream: client gone → environment free", "s",
                Stats.single(seconds), Stats.NONE, "≤ 60 s", seconds <= 60, String.format(Locale.ROOT,
                "PULSE_SSE_CONCURRENCY=1, streams of %d s (the default): a stream opened, its first event read, the client"
                + " gone %.1f s later; then GET /api/v2/stream/status every 250 ms: %d × 429 until the stream ended by"
                + " itself and the environment took requests again",
                r.maxStreamSeconds(), r.openMillis() / 1000, r.refused())));
    }

    private void rotation(RotationProbe.Result r, DeliveryProbe.Result baseDelivery, long maxStreamSeconds) {
        List<Double> share = r.gapMillis().stream().map(g -> 100 * g / (maxStreamSeconds * 1000 + g)).toList();
        double measuredShare = 100 * r.gapMillis().stream().mapToDouble(Double::doubleValue).sum() / (r.seconds() * 1000);
        bench.figures().add(new Figure("rotation_gap", "rotation: reconnect → next stream's first event", "ms",
                Stats.of(r.gapMillis()), Stats.NONE, "", null, String.format(Locale.ROOT,
                "stack E (streams end every %d s); the reader honours retry: 500 and resumes with Last-Event-ID;"
                + " %d connections, %d refused", ROTATION_STREAM_SECONDS, r.connections(), r.rejected())));
        bench.figures().add(new Figure("rotation_disconnected_share", "live client disconnected, streams of " + maxStreamSeconds
                + " s", "%", Stats.of(share), Stats.NONE, "", null, String.format(Locale.ROOT,
                "per rotation: gap / (%d s + gap), from the gaps above; measured on stack E's %d s streams: %.1f %%",
                maxStreamSeconds, ROTATION_STREAM_SECONDS, measuredShare)));
        boolean complete = r.missing() == 0 && r.duplicates() == 0 && r.outOfOrder() == 0;
        bench.figures().add(new Figure("rotation_delivery", "POST → new_item across rotations, poll 1000 ms", "ms",
                Stats.of(r.deliveryMillis()), Stats.of(baseDelivery.deliveryMillis()), "none lost, repeated or out of order",
                complete, String.format(Locale.ROOT,
                "one POST every 0–500 ms for 40 s while streams end every %d s (10× as often as the default, so more"
                + " items land near a rotation); items written during a gap come with the resume's replay."
                + " Missing %d, duplicates %d, out of order %d",
                ROTATION_STREAM_SECONDS, r.missing(), r.duplicates(), r.outOfOrder())));
    }

    private void replay(ReplayProbe.Result r, long maxStreamSeconds) {
        double peak = r.rssMb().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        bench.figures().add(new Figure("replay_rss", "RSS of the SSE env during a " + String.format(Locale.ROOT, "%,d", r.expected())
                + "-item replay", "MiB", Stats.of(r.rssMb()), Stats.NONE, "max ≤ 150 MiB", peak <= 150,
                String.format(Locale.ROOT, "VmRSS sampled every 100 ms (n = samples); VmHWM after the replay %.1f MiB."
                + " Items come in pages of ≤ 100 through a queue of 4 pages, so memory stays flat", r.hwmMb())));
        bench.figures().add(new Figure("replay_items_per_s", "replay from lastEventId=0000000000000001", "items/s",
                Stats.single(r.itemsPerSecond()), Stats.NONE, "none lost, repeated or out of order",
                r.lost() == 0 && r.repeated() == 0 && r.outOfOrder() == 0, String.format(Locale.ROOT,
                "%d of %d items in %.1f s over %d connection(s) (streams end every %d s; the reader resumes); lost %d,"
                + " repeated %d, out of order %d. Bound by moto, whose Query walks every item of the table each time",
                r.received(), r.expected(), r.seconds(), r.connections(), maxStreamSeconds, r.lost(), r.repeated(),
                r.outOfOrder())));
    }

    /**
     * A note naming why a stack's dashboard answered 503 (the bench retried each with the same key), or null
     * when it never did.
     */
    static String unavailableNote(String stack, long stackPid) {
        Map<String, Integer> causes = Environments.storeUnavailableCauses(stackPid);
        if (causes.isEmpty()) {
            return null;
        }
        StringBuilder note = new StringBuilder(stack + "'s dashboard answered 503 (retried with the same Idempotency-Key):");
        causes.forEach((cause, n) -> note.append(' ').append(n).append(" × \"")
                .append(cause.length() > 160 ? cause.substring(0, 160) + "…" : cause).append("\";"));
        return note.substring(0, note.length() - 1);
    }

    private CompletableFuture<LocalPulseProcess> start(Map<String, String> env) {
        return CompletableFuture.supplyAsync(() -> BenchMain.start(bench.base().withEnv(env)), async);
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
