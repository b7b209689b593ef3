package dev.pulse.testing;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SseReaderTest {

    /** A body that hands out at most three bytes per read, as a slow network does. */
    private static InputStream trickle(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 3));
            }
        };
    }

    @Test
    void framesComeOneByOneAcrossReads_andNullAtTheEnd() throws IOException {
        try (SseReader reader = new SseReader(trickle("retry: 3000\n\nevent: metrics\nid: 7\ndata: {}\n\n: heartbeat\n\n"))) {
            assertEquals(new SseFrame.Retry(3000), reader.next());
            assertEquals(new SseFrame.Event("metrics", "{}", "7", true), reader.next());
            assertEquals(new SseFrame.Comment("heartbeat"), reader.next());
            assertNull(reader.next());
        }
    }

    @Test
    void nextEventSkipsCommentsAndRetry_andDropsAnEventTheBodyCutShort() throws IOException {
        try (SseReader reader = new SseReader(trickle("retry: 3000\n\n: heartbeat\n\nevent: new_item\nid: 8\ndata: x\n\n"
                + "event: new_item\nid: 9\ndata: cut"))) {
            assertEquals(new SseFrame.Event("new_item", "x", "8", true), reader.nextEvent());
            assertNull(reader.nextEvent());
        }
    }
}
