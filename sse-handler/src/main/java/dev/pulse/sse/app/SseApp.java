package dev.pulse.sse.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Health;
import dev.pulse.core.ItemId;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Json;
import dev.pulse.core.Metrics;
import dev.pulse.core.StoreUnavailableException;
import dev.pulse.core.Tags;
import dev.pulse.core.http.HttpResponse;
import dev.pulse.core.http.Routes;
import dev.pulse.sse.http.Answers;
import dev.pulse.sse.http.HttpRequest;
import dev.pulse.sse.runtime.Invocation;
import dev.pulse.sse.runtime.ResponseStream;
import dev.pulse.sse.runtime.StreamingHandler;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SSE function's application: routes one request and writes its answer, the event stream or a whole
 * JSON answer. Everything that can fail for a client reason is decided before the first byte, so it becomes
 * a 4xx/503 JSON answer; store trouble during a stream is retried by the poller.
 */
public final class SseApp implements StreamingHandler {

    static final String ALLOW = "GET, OPTIONS";
    private static final long DEADLINE_MARGIN_MS = 5_000;

    private final SseConfig config;
    private final ItemStore store;

    public SseApp(SseConfig config, ItemStore store) {
        this.config = config;
        this.store = store;
    }

    @Override
    public void handle(Invocation invocation, ResponseStream out) throws IOException {
        HttpRequest request = HttpRequest.fromEvent(invocation.payload());
        String path = Routes.normalise(request.rawPath());
        String origin = request.header("origin");
        boolean known = path.equals(Routes.STREAM) || path.equals(Routes.STREAM_STATUS) || path.equals(Routes.HEALTH)
                || path.equals(Routes.ROOT);
        if (!known) {
            send(out, HttpResponse.error(404, "not_found", "no route for " + path), origin);
            return;
        }
        switch (request.method()) {
            case "GET" -> {
                switch (path) {
                    case Routes.STREAM -> stream(request, invocation.deadlineEpochMs(), out, origin);
                    case Routes.STREAM_STATUS -> send(out, status(), origin);
                    case Routes.ROOT -> send(out, index(), origin);
                    default -> send(out, health(), origin);
                }
            }
            case "OPTIONS" -> {
                boolean preflight = origin != null && request.header("access-control-request-method") != null;
                HttpResponse answer = preflight ? config.cors().preflight(origin, ALLOW)
                        : HttpResponse.empty(204).withHeader("Allow", ALLOW);
                send(out, answer, preflight ? null : origin);
            }
            default -> send(out, HttpResponse.error(405, "method_not_allowed",
                    request.method() + " is not allowed on " + path + "; use GET").withHeader("Allow", ALLOW), origin);
        }
    }

    /** What someone who opens the SSE URL that {@code make run} printed sees: where the streams are. */
    private HttpResponse index() {
        ObjectNode body = Json.object()
                .put("service", "pulse SSE function (RESPONSE_STREAM)")
                .put("stream", Routes.STREAM)
                .put("stream_filtered", Routes.STREAM + "?tags=AAPL,MSFT")
                .put("status", Routes.STREAM_STATUS)
                .put("health", Routes.HEALTH)
                .put("note", "open the dashboard function's URL for the page; curl -N this URL + api/v2/stream for events");
        return HttpResponse.json(200, body);
    }

    private HttpResponse status() {
        ObjectNode body = Json.object()
                .put("status", "ok")
                .put("invoke_mode", "RESPONSE_STREAM")
                .put("heartbeat_interval_seconds", config.heartbeatInterval().toSeconds())
                .put("max_stream_seconds", config.maxStream().toSeconds())
                .put("poll_interval_ms", config.pollInterval().toMillis())
                .put("version", config.version());
        return HttpResponse.json(200, body);
    }

    /** 200 when the table answers; 503 when not, the reason in the log (like the dashboard's). */
    private HttpResponse health() {
        Health health = Health.check(() -> store, store.tableName(), config.version(), line -> System.err.println("sse: " + line));
        HttpResponse response = HttpResponse.json(health.status(), health.body());
        return health.ok() ? response : response.withHeader("Retry-After", Health.RETRY_AFTER_SECONDS);
    }

    private void stream(HttpRequest request, long deadlineEpochMs, ResponseStream out, String origin)
            throws IOException {
        String filter = request.queryParam("tags");
        Optional<Set<String>> tags = Tags.parseFilter(filter);
        if (tags.isEmpty()) {
            send(out, HttpResponse.error(400, "invalid_tags", "tags must be a comma-separated list of at most "
                    + Tags.MAX_FILTER_TAGS + " tags, e.g. ?tags=AAPL,MSFT: "
                    + Tags.filterProblem(filter).orElse("it is not one")), origin);
            return;
        }
        Metrics snapshot;
        try {
            snapshot = store.metrics();
        } catch (StoreUnavailableException e) {
            System.err.println("sse: 503, store unavailable at stream start: " + e.getMessage());
            send(out, HttpResponse.error(503, "store_unavailable", "the item store cannot be reached; try again shortly")
                    .withHeader("Retry-After", "5"), origin);
            return;
        }
        Long resumeFrom = resumePosition(request);
        // An id beyond the newest item is not one this table gave out: start from now, as for a malformed one.
        StreamSession.Start start = resumeFrom == null || resumeFrom > snapshot.total()
                ? StreamSession.Start.fresh(snapshot) : StreamSession.Start.resume(resumeFrom, snapshot);
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
        headers.putAll(config.cors().headersFor(origin));
        out.writeHead(200, headers);
        new StreamSession(out, store, tags.get(), start, config, endAt, reason).run();
    }

    /**
     * {@code Last-Event-ID} (what a browser sends when it reconnects), else {@code ?lastEventId=}, as a
     * sequence number; null (start from now) when absent or not an item id.
     */
    private static Long resumePosition(HttpRequest request) {
        String id = request.header("last-event-id");
        if (id == null || id.isBlank()) {
            id = request.queryParam("lastEventId");
        }
        if (id == null) {
            return null;
        }
        id = id.strip();
        return ItemId.isValid(id) ? ItemId.sequenceOf(id) : null;
    }

    private void send(ResponseStream out, HttpResponse response, String origin) throws IOException {
        Answers.send(out, origin == null ? response : config.cors().decorate(response, origin));
    }
}
