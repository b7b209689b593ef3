package dev.pulse.lambda.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The HTTP/1.1 codec both the runtime and the emulator use: what it accepts, and how it refuses the rest. */
class Http1Test {

    static InputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void chunksRoundTrip_withTrailersAsWritten() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedWriter writer = new ChunkedWriter(out);
        writer.chunk("hello".getBytes(StandardCharsets.UTF_8));
        writer.chunk(new byte[0]);
        writer.chunk(new byte[300]);
        writer.end(HttpFields.builder().add("Lambda-Runtime-Function-Error-Type", "Oops").build());
        String wire = out.toString(StandardCharsets.ISO_8859_1);
        assertEquals("5\r\nhello\r\n12c\r\n" + "\0".repeat(300) + "\r\n0\r\nLambda-Runtime-Function-Error-Type: Oops\r\n\r\n", wire);

        ChunkedReader reader = new ChunkedReader(in(wire), 1000);
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), reader.next());
        assertEquals(300, reader.next().length);
        assertNull(reader.next());
        assertNull(reader.next(), "stays at the end");
        assertEquals("Oops", reader.trailers().get("lambda-runtime-function-error-type"));
    }

    @Test
    void chunkExtensionsAreIgnored_andUpperCaseHexIsTaken() throws IOException {
        ChunkedReader reader = new ChunkedReader(in("A;name=value\r\n0123456789\r\n0\r\n\r\n"), 100);
        assertEquals(10, reader.next().length);
        assertNull(reader.next());
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz\r\n", "-5\r\n", "\r\n", " \r\n", "0x10\r\n", "123456789\r\n", "5 5\r\n"})
    void aMalformedChunkSizeIsAFormatError_neverANumberFormatException(String sizeLine) {
        assertThrows(HttpFormatException.class, () -> new ChunkedReader(in(sizeLine + "hello\r\n0\r\n\r\n"), 100).next());
    }

    @Test
    void chunkDataMustEndWithCrlf() {
        assertThrows(HttpFormatException.class, () -> new ChunkedReader(in("5\r\nhelloXX0\r\n\r\n"), 100).next());
    }

    @Test
    void aChunkPastTheCapIsRefusedBeforeItsDataIsRead() throws IOException {
        InputStream in = in("5\r\nhello\r\n10\r\n" + "x".repeat(16) + "\r\n0\r\n\r\n");
        ChunkedReader reader = new ChunkedReader(in, 10);
        reader.next();
        BodyTooLargeException e = assertThrows(BodyTooLargeException.class, reader::next);
        assertEquals(21, e.size());
        assertEquals(16 + 7, in.available(), "the refused chunk is still unread");
    }

    @Test
    void aCutBodyIsAnEof() {
        assertThrows(EOFException.class, () -> ChunkedReader.readAll(in("5\r\nhel"), 100));
        assertThrows(EOFException.class, () -> ChunkedReader.readAll(in("5\r\nhello\r\n"), 100));
    }

    @Test
    void repeatedFieldsKeepEveryValue_joinedWithCommas_andLookUpsIgnoreCase() throws IOException {
        HttpFields fields = Http1.readFields(in("Accept: a\r\nX-Two: 1\r\naccept: b\r\nbare: line-feed\n\r\n"));
        assertEquals("a,b", fields.get("ACCEPT"));
        assertEquals(List.of("a", "b"), fields.all("accept"));
        assertEquals("line-feed", fields.get("Bare"), "a bare LF ends a line too");
        assertEquals(List.of("accept", "x-two", "bare"), List.copyOf(fields.names()));
        assertEquals("Accept", fields.lines().getFirst().name(), "names are kept as written");
    }

    @Test
    void badHeadsAreFormatErrors() {
        assertThrows(HttpFormatException.class, () -> Http1.readFields(in("no colon here\r\n\r\n")));
        assertThrows(HttpFormatException.class, () -> Http1.readRequestHead(in("GET /\r\n\r\n")));
        assertThrows(HttpFormatException.class, () -> Http1.readStatusHead(in("HTTP/1.1 2xx OK\r\n\r\n")));
        assertThrows(HttpFormatException.class, () -> Http1.readLine(in("x".repeat(Http1.MAX_LINE + 1) + "\r\n")));
        assertThrows(EOFException.class, () -> Http1.readFields(in("A: b\r\n")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "1.5", "5,5", ""})
    void aMalformedContentLengthIsAFormatError(String value) {
        HttpFields fields = HttpFields.builder().add("Content-Length", value).build();
        assertThrows(HttpFormatException.class, () -> Http1.contentLength(fields, 0));
    }

    @Test
    void requestHeads_cleanEndsAndStrayBlankLines() throws IOException {
        assertNull(Http1.readRequestHead(in("")), "a clean end between requests");
        Http1.RequestHead head = Http1.readRequestHead(in("\r\nPOST /a?b=c HTTP/1.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"));
        assertEquals("POST", head.method());
        assertEquals("/a", head.path());
        assertEquals(3, head.contentLength());
        assertEquals(true, head.closeRequested());
    }

    @Test
    void replies_byLengthByChunksOrToTheEnd_andCapped() throws IOException {
        assertEquals("hi", Http1.readReply(in("HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nhi"), 10).bodyText());
        assertEquals("hi", Http1.readReply(in("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"), 10).bodyText());
        assertEquals("to the end", Http1.readReply(in("HTTP/1.0 410 Gone\r\n\r\nto the end"), 100).bodyText());
        assertThrows(BodyTooLargeException.class, () -> Http1.readReply(in("HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n"), 10));
        assertThrows(BodyTooLargeException.class, () -> Http1.readReply(in("HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(11)), 10));
    }

    @Test
    void aFieldValueCannotSplitTheHead() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Http1.writeHead(out, "GET / HTTP/1.1", HttpFields.builder().add("X-Evil", "a\r\nInjected: yes").build());
        assertEquals("GET / HTTP/1.1\r\nX-Evil: a Injected: yes\r\n\r\n", out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void jsonEscapesWhatItMust_andWritesMapsInOrder() {
        java.util.Map<String, Object> object = new java.util.LinkedHashMap<>();
        object.put("text", "q\"b\\n\n\u0001\u2028");
        object.put("numbers", java.util.Arrays.asList(1, 2L, 2.5, 3.0, null, true));
        assertEquals("{\"text\":\"q\\\"b\\\\n\\n\\u0001\\u2028\",\"numbers\":[1,2,2.5,3,null,true]}", Json.write(object));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
    }
}
