package dev.pulse.sse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Health;
import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Json;
import dev.pulse.core.Metrics;
import dev.pulse.core.StoreUnavailableException;
import dev.pulse.core.Tags;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Routes one request and writes its answer to a {@link StreamingResponse}: the event stream, or a whole
 * JSON answer (prelude + one body chunk). Everything that can fail for a client reason is decided before
 * the first byte, so it becomes a 4xx/503 JSON answer; store trouble during a stream is retried by the poller.
 */
final class SseApp {

    static final String ALLOW = "GET, OPTIONS";
    /** The id before every real id: the snapshot's id when the table is empty (resuming from it replays all). */
    static final String ZERO_ID = "0000000000000-000000";
    /** How far ahead of our clock a resume id may be before it counts as unknown (clock skew allowance). */
    private static final long FUTURE_ID_TOLERANCE_MS = 60_000;
    private static final long DEADLINE_MARGIN_MS = 5_000;

    private final SseConfig config;
    private final ItemStore store;

    SseApp(SseConfig config, ItemStore store) {
        this.config = config;
        this.store = store;
    }

    void handle(HttpRequest request, long deadlineEpochMs, StreamingResponse out) throws IOException {
        String path = Paths.normalise(request.rawPath());
        String origin = request.header("origin");
        boolean known = path.equals(Paths.STREAM) || path.equals(Paths.STATUS) || path.equals(Paths.HEALTH);
        if (!known) {
            send(out, Response.error(404, "not_found", "no route for " + path), origin);
            return;
        }
        switch (request.method()) {
            case "GET" -> {
                switch (path) {
                    case Paths.STREAM -> stream(request, deadlineEpochMs, out, origin);
                    case Paths.STATUS -> send(out, status(), origin);
                    default -> send(out, health(), origin);
                }
            }
            case "OPTIONS" -> {
                boolean preflight = origin != null && request.header("access-control-request-method") != null;
                Response answer = preflight ? config.corsOrigins().preflight(origin, ALLOW)
                        : Response.empty(204).withHeader("Allow", ALLOW);
                send(out, answer, preflight ? null : origin);
            }
            default -> send(out, Response.error(405, "method_not_allowed",
                    request.method() + " is not allowed on " + path + "; use GET").withHeader("Allow", ALLOW), origin);
        }
    }

    private Response status() {
        ObjectNode body = Json.object()
                .put("status", "ok")
                .put("invoke_mode", "RESPONSE_STREAM")
                .put("heartbeat_interval_seconds", config.heartbeatInterval().toSeconds())
                .put("max_stream_seconds", config.maxStream().toSeconds())
                .put("poll_interval_ms", config.pollInterval().toMillis())
                .put("version", config.version());
        return Response.json(200, body);
    }

    /** 200 when the table answers; 503 when not, the reason in the log (like the dashboard's). */
    private Response health() {
        Health health = Health.check(() -> store, store.tableName(), config.version(), line -> System.err.println("sse: " + line));
        Response response = Response.json(health.status(), health.body());
        return health.ok() ? response : response.withHeader("Retry-After", Health.RETRY_AFTER_SECONDS);
    }

    private void stream(HttpRequest request, long deadlineEpochMs, StreamingResponse out, String origin)
            throws IOException {
        Optional<Set<String>> tags = Tags.parseFilter(request.queryParam("tags"));
        if (tags.isEmpty()) {
            send(out, Response.error(400, "invalid_tags", "tags must be a comma-separated list of at most "
                    + Tags.MAX_FILTER_TAGS + " tags, each 1-16 characters of A-Z 0-9 . _ -"), origin);
            return;
        }
        String resumeId = resumeId(request);
        Metrics snapshot;
        String startId;
        // The two reads are independent: run them side by side, so the first event waits for
        // the slower one rather than for both (one DynamoDB round trip less to the first byte).
        FutureTask<String> newest = new FutureTask<>(this::newestId);
        if (resumeId == null) {
            Thread.ofVirtual().name("sse-newest-id").start(newest);
        }
        try {
            snapshot = store.metrics();
            startId = resumeId != null ? resumeId : await(newest);
        } catch (StoreUnavailableException e) {
            System.err.println("sse: 503, store unavailable at stream start: " + e.getMessage());
            send(out, Response.error(503, "store_unavailable", "the item store cannot be reached; try again shortly")
                    .withHeader("Retry-After", "5"), origin);
            return;
        }
        long nowNanos = System.nanoTime();
        long maxEnd = nowNanos + config.maxStream().toNanos();
        String reason = "max_duration";
        long endAt = maxEnd;
        if (deadlineEpochMs > 0) {
            long deadlineEnd = nowNanos + (deadlineEpochMs - DEADLINE_MARGIN_MS - System.currentTimeMillis()) * 1_000_000L;
            if (deadlineEnd - maxEnd < 0) {
                endAt = deadlineEnd;
                reason = "deadline";
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/event-stream; charset=utf-8");
        headers.put("Cache-Control", "no-cache");
        headers.put("X-Accel-Buffering", "no");
        headers.putAll(config.corsOrigins().headersFor(origin));
        out.writeHead(200, headers);
        new StreamSession(out, store, tags.get(), startId, snapshot, config, endAt, reason).run();
    }

    /**
     * {@code Last-Event-ID} (what a browser sends when it reconnects), else {@code ?lastEventId=}. Only a
     * well-formed item id not from the future resumes; anything else means "start from now" (null).
     */
    private static String resumeId(HttpRequest request) {
        String id = request.header("last-event-id");
        if (id == null || id.isBlank()) {
            id = request.queryParam("lastEventId");
        }
        if (id == null) {
            return null;
        }
        id = id.strip();
        if (!ItemId.isValid(id) || ItemId.millisOf(id) > System.currentTimeMillis() + FUTURE_ID_TOLERANCE_MS) {
            return null;
        }
        return id;
    }

    /** The newest item id in the table (all tags): a fresh stream sends only what comes after it. */
    private static String await(FutureTask<String> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreUnavailableException("newest id could not be read: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while reading the newest id", e);
        }
    }

    private String newestId() {
        List<Item> newest = store.newest(1, null, null).items();
        return newest.isEmpty() ? ZERO_ID : newest.getFirst().id();
    }

    private void send(StreamingResponse out, Response response, String origin) throws IOException {
        Response answer = origin == null ? response : response.withHeaders(config.corsOrigins().headersFor(origin));
        out.writeHead(answer.status(), answer.headers());
        out.writeChunk(answer.body());
    }
}
