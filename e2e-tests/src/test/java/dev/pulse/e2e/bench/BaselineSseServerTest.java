package dev.pulse.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.e2e.client.PulseClient;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The baseline takes what the write path's sets send: single items, with or without a key, and batches. */
class BaselineSseServerTest {

    @Test
    void itTakesEveryShapeTheWritePathSends() throws Exception {
        try (BaselineSseServer server = new BaselineSseServer(30_000)) {
            PulseClient client = BenchMain.client(server);
            for (WriteRateProbe.Shape shape : new WriteRateProbe.Shape[] {WriteRateProbe.Shape.SINGLE,
                    WriteRateProbe.Shape.SINGLE_WITHOUT_KEY, WriteRateProbe.Shape.batch(WritePathPhase.BATCH)}) {
                WriteRateProbe.Result r = WriteRateProbe.run(client, "T", 6, 3, shape);
                assertEquals(6 * shape.size(), r.items(), shape::toString);
                assertEquals(6, r.postMillis().size(), shape::toString);
            }
        }
    }

    @Test
    void aBatchIsAnsweredWithItsItemsUnderContiguousIdsInItsOrder() throws Exception {
        try (BaselineSseServer server = new BaselineSseServer(30_000)) {
            HttpResponse<String> r = BenchMain.client(server).postJson("/api/v2/items",
                    "[{\"tag\":\"T\",\"text\":\"a\"},{\"tag\":\"T\",\"text\":\"b\"},{\"tag\":\"T\",\"text\":\"c\"}]");
            assertEquals(201, r.statusCode(), r::body);
            JsonNode items = new ObjectMapper().readTree(r.body()).path("items");
            assertEquals(3, items.size(), r::body);
            long first = Long.parseLong(items.get(0).path("id").asText().substring(14));
            for (int i = 0; i < 3; i++) {
                assertEquals(first + i, Long.parseLong(items.get(i).path("id").asText().substring(14)), r::body);
                assertEquals(String.valueOf((char) ('a' + i)), items.get(i).path("text").asText(), r::body);
            }
        }
    }
}
