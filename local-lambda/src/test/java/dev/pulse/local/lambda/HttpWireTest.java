package dev.pulse.local.lambda;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpWireTest {

    private static InputStream wire(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsChunksOneByOneThenTheTrailers() throws IOException {
        InputStream in = wire("5;ext=1\r\nhello\r\n1\r\n!\r\n0\r\nLambda-Runtime-Function-Error-Type: X.Y\r\n"
                + "Lambda-Runtime-Function-Error-Body: e30=\r\n\r\nNEXT");
        HttpWire.ChunkedReader reader = new HttpWire.ChunkedReader(in);
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), reader.next());
        assertArrayEquals("!".getBytes(StandardCharsets.US_ASCII), reader.next());
        assertNull(reader.next());
        assertEquals(Map.of("lambda-runtime-function-error-type", "X.Y", "lambda-runtime-function-error-body", "e30="),
                reader.trailers());
        assertEquals("NEXT", new String(in.readAllBytes(), StandardCharsets.US_ASCII), "stops right after the body");
    }

    @Test
    void aBodyCutShortIsAnError() {
        HttpWire.ChunkedReader reader = new HttpWire.ChunkedReader(wire("5\r\nhel"));
        assertThrows(EOFException.class, reader::next);
        HttpWire.ChunkedReader noLast = new HttpWire.ChunkedReader(wire("1\r\na\r\n"));
        assertThrows(IOException.class, () -> {
            noLast.next();
            noLast.next();
        });
    }

    @Test
    void readsRequestHeads() throws IOException {
        InputStream in = wire("POST /a?b=1 HTTP/1.1\r\nHost: x\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 3\r\n\r\nabc");
        HttpWire.RequestHead head = HttpWire.readHead(in);
        assertEquals("POST", head.method());
        assertEquals("/a?b=1", head.target());
        assertEquals("1,2", head.header("X-A"));
        assertEquals(3, head.contentLength());
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), HttpWire.readFixed(in, 3, 10));
        assertNull(HttpWire.readHead(in), "clean end of stream");
    }

    @Test
    void bodiesOverTheCapAreDrainedAndRefused() throws IOException {
        InputStream in = wire("4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\nrest");
        HttpWire.TooLarge tooLarge = assertThrows(HttpWire.TooLarge.class, () -> HttpWire.readChunked(in, 5));
        assertEquals(8, tooLarge.size);
        assertTrue(new String(in.readAllBytes(), StandardCharsets.US_ASCII).equals("rest"));
    }
}
