package dev.pulse.e2e.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.SseConnection;
import dev.pulse.testing.SseFrame;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.pulse.e2e.it.Api.STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Items written through the dashboard arrive on the SSE stream: live, filtered, and on resume. */
@Tag("sse")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith(E2eExtension.class)
class LiveStreamIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(15);

    private static SseConnection openReady(PulseClient client, String path, String lastEventId) {
        SseConnection c = SseConnection.open(client, path, lastEventId, Duration.ofSeconds(10));
        assertEquals(200, c.status(), () -> path + ": " + StreamIT.body(c));
        return c;
    }

    /** The new_item ids among frames, optionally only those of one tag. */
    private static List<String> newItemIds(List<Received> frames, String tag) {
        List<String> ids = new ArrayList<>();
        for (Received r : frames) {
            JsonNode item = Api.data(r, "new_item");
            if (item != null && (tag == null || tag.equals(item.path("tag").asText()))) {
                ids.add(item.path("id").asText());
            }
        }
        return ids;
    }

    /** Frames arriving within {@code window}. */
    private static List<Received> drain(SseConnection c, Duration window) {
        List<Received> frames = new ArrayList<>();
        long until = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < until) {
            c.next(Duration.ofMillis(100)).ifPresent(frames::add);
        }
        return frames;
    }

    @Test
    void aPostedItemArrivesLiveThenUpdatedMetrics(E2eRun run) {
        PulseClient client = run.client();
        String tag = E2eRun.uniqueTag();
        try (SseConnection c = openReady(client, STREAM, "")) {
            List<Received> opening = c.readUntil(r -> r.event("metrics") != null, Duration.ofSeconds(10));
            JsonNode before = StreamIT.assertOpening(opening);

            ObjectNode sent = Api.item(tag, "positive", 0.875, "live item for " + tag);
            JsonNode stored = Api.post(client, sent);
            String id = stored.path("id").asText();
            Api.fields(stored, sent);

            List<Received> frames = c.readUntil(r -> {
                SseFrame.Event e = r.event("new_item");
                return e != null && e.lastEventId().equals(id);
            }, ARRIVAL);
            SseFrame.Event event = frames.get(frames.size() - 1).event("new_item");
            assertTrue(event.hasIdField(), "new_item carries id:");
            JsonNode item = Api.json(event.data());
            assertEquals(stored, item, "the streamed item is the stored item");

            List<Received> after = c.readUntil(r -> {
                JsonNode m = Api.data(r, "metrics");
                return m != null && m.path("by_tag").path(tag).asLong() == 1;
            }, ARRIVAL);
            JsonNode metrics = Api.data(after.get(after.size() - 1), "metrics");
            assertTrue(metrics.path("total").asLong() >= before.path("total").asLong() + 1, metrics::toString);
            assertTrue(metrics.path("positive").asLong() >= before.path("positive").asLong() + 1, metrics::toString);
            assertTrue(after.get(after.size() - 1).event("metrics").hasIdField(), "metrics carries id:");
        }
    }

    @Test
    void aTagFilterDeliversOnlyMatchingItems(E2eRun run) {
        PulseClient client = run.client();
        String wanted = E2eRun.uniqueTag();
        String other = E2eRun.uniqueTag();
        String alsoWanted = E2eRun.uniqueTag();
        try (SseConnection c = openReady(client, STREAM + "?tags=" + wanted + "," + alsoWanted, "")) {
            c.readUntil(r -> r.event("metrics") != null, Duration.ofSeconds(10));
            String otherId = Api.post(client, other, "must not arrive").path("id").asText();
            String wantedId = Api.post(client, wanted, "must arrive").path("id").asText();
            String alsoId = Api.post(client, alsoWanted, "must arrive too").path("id").asText();

            List<Received> frames = new ArrayList<>(c.readUntil(r -> {
                SseFrame.Event e = r.event("new_item");
                return e != null && e.lastEventId().equals(alsoId);
            }, ARRIVAL));
            // The unwanted item was written first, so a broken filter would have delivered it by now;
            // wait a little longer anyway.
            frames.addAll(drain(c, Duration.ofMillis(1500)));
            List<String> ids = newItemIds(frames, null);
            assertEquals(List.of(wantedId, alsoId), ids, "only the filtered tags, in order");
            assertFalse(ids.contains(otherId));
        }
    }

    @Test
    void resumeWithLastEventIdSendsExactlyTheMissedItemsInOrder(E2eRun run) {
        PulseClient client = run.client();
        String tag = E2eRun.uniqueTag();
        String seen = Api.post(client, tag, "seen before the disconnect").path("id").asText();
        List<String> missed = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            missed.add(Api.post(client, tag, "missed " + i).path("id").asText());
        }
        String last = missed.get(missed.size() - 1);
        // Header, and the query parameter form EventSource polyfills use.
        for (String[] variant : new String[][] {{STREAM + "?tags=" + tag, seen},
                {STREAM + "?tags=" + tag + "&lastEventId=" + seen, ""}}) {
            try (SseConnection c = openReady(client, variant[0], variant[1])) {
                List<Received> frames = new ArrayList<>(c.readUntil(r -> {
                    SseFrame.Event e = r.event("new_item");
                    return e != null && e.lastEventId().equals(last);
                }, ARRIVAL));
                frames.addAll(drain(c, Duration.ofMillis(1500)));
                assertEquals(missed, newItemIds(frames, tag), () -> "resume after " + seen + " via " + variant[0]);
                for (Received r : frames) {
                    JsonNode item = Api.data(r, "new_item");
                    if (item != null) {
                        assertEquals(item.path("id").asText(), r.event("new_item").lastEventId(), "event id = item id");
                    }
                }
            }
        }
    }

    @Test
    void itemsWrittenWhileConnectedArriveOnceEach(E2eRun run) {
        PulseClient client = run.client();
        String tag = E2eRun.uniqueTag();
        try (SseConnection c = openReady(client, STREAM + "?tags=" + tag, "")) {
            c.readUntil(r -> r.event("metrics") != null, Duration.ofSeconds(10));
            List<String> posted = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                posted.add(Api.post(client, tag, "burst " + i).path("id").asText());
            }
            String last = posted.get(posted.size() - 1);
            List<Received> frames = new ArrayList<>(c.readUntil(r -> {
                SseFrame.Event e = r.event("new_item");
                return e != null && e.lastEventId().equals(last);
            }, ARRIVAL));
            frames.addAll(drain(c, Duration.ofMillis(1500)));
            assertEquals(posted, newItemIds(frames, tag), "a burst arrives complete, in order, once");
        }
    }
}
