package dev.pulse.sse.app;

import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Json;
import dev.pulse.core.telemetry.Level;
import dev.pulse.core.telemetry.Telemetry;
import dev.pulse.lambda.http.FunctionUrlEvent;
import dev.pulse.lambda.runtime.Context;
import dev.pulse.lambda.runtime.Response;
import dev.pulse.lambda.runtime.ResponseSink;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Does in init what the first request would otherwise do, while Lambda gives init its CPU burst: loads the request
 * path's classes, makes the first DynamoDB calls (the SDK's first call builds its whole pipeline), builds the JSON
 * writers, and gets the interpreter through the hot code once. It runs synthetic requests (status, health, a stream
 * that ends at once) through an app of its own, whose lines are not written and whose answers go nowhere: no client
 * is answered and no table is written. A failure here is the first request's to have, not init's.
 */
public final class Priming {

    /** {@code PULSE_PRIMING=off} skips it: how the bench measures a first request without it. */
    public static final String VARIABLE = "PULSE_PRIMING";

    private Priming() {
    }

    public static boolean enabled(Map<String, String> env) {
        return !"off".equalsIgnoreCase(env.getOrDefault(VARIABLE, "on").strip());
    }

    /** Runs the synthetic requests against {@code store} with {@code config}. */
    public static void prime(SseConfig config, ItemStore store) {
        Telemetry silent = new Telemetry("sse", "priming", Level.FATAL, line -> { }, Clock.systemUTC());
        SseApp app = new SseApp(config, store, silent);
        // A deadline just past the stream's 5 s margin: the synthetic stream writes its start and ends with reconnect.
        Context context = new Context("priming", null, System.currentTimeMillis() + 5_050, null, null, null, null, null);
        for (String path : List.of("/api/v2/stream/status", "/health", "/api/v2/stream")) {
            try {
                drain(app.handle(event(path), context));
            } catch (Exception | LinkageError e) {
                // the first real request meets it, with a client to tell
            }
        }
        try {
            EventSink sink = new EventSink(bytes -> { });
            sink.event("new_item", ItemId.of(1), Json.item(new Item(ItemId.of(1), "PRIME", "neutral", 0.5, "priming",
                    null, Instant.now().toString())));
        } catch (Exception e) {
            // as above
        }
    }

    private static void drain(Response response) throws Exception {
        ResponseSink nowhere = bytes -> { };
        switch (response) {
            case Response.Buffered buffered -> nowhere.write(buffered.body());
            case Response.Streaming streaming -> {
                nowhere.write(streaming.head());
                streaming.body().writeTo(nowhere);
            }
        }
    }

    private static byte[] event(String path) {
        return FunctionUrlEvent.bare("GET", path).header("host", "priming.invalid").requestId("priming").toBytes();
    }
}
