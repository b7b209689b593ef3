package dev.pulse.testing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WHATWG "Server-sent events" examples and interpretation rules, plus Pulse's own stream shape. */
class SseParserTest {

    private static SseFrame.Event msg(String data, String id) {
        return new SseFrame.Event("message", data, id, false);
    }

    private static List<SseFrame> parse(String text) {
        return new SseParser().feed(text);
    }

    private static List<SseFrame> events(List<SseFrame> frames) {
        return frames.stream().filter(f -> f instanceof SseFrame.Event).toList();
    }

    @Test
    void specExampleStockTickerJoinsDataLinesWithLf() {
        assertEquals(List.of(msg("YHOO\n+2\n10", "")), parse("data: YHOO\ndata: +2\ndata: 10\n\n"));
    }

    @Test
    void specExampleTestStreamWithIdsAndComment() {
        List<SseFrame> frames = parse(": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\n"
                + "data:  third event\n\n");
        assertEquals(List.of(
                new SseFrame.Comment("test stream"),
                new SseFrame.Event("message", "first event", "1", true),
                new SseFrame.Event("message", "second event", "", true),   // bare "id" resets the ID
                msg(" third event", "")), frames);                         // only one space is stripped
    }

    @Test
    void specExampleEmptyDataAndNewlineData() {
        SseParser p = new SseParser();
        List<SseFrame> frames = p.feed("data\n\ndata\ndata\n\ndata:");
        assertEquals(List.of(msg("", ""), msg("\n", "")), frames);
        p.end();
        assertEquals(List.of(), p.feed("\n\n"), "the last block was discarded at end of stream");
    }

    @Test
    void specExampleSpaceAfterColonIsOptional() {
        assertEquals(List.of(msg("test", ""), msg("test", "")), parse("data:test\n\ndata: test\n\n"));
    }

    @Test
    void eventTypeAppliesToOneEventOnly() {
        assertEquals(List.of(
                new SseFrame.Event("add", "73857293", "", false),
                new SseFrame.Event("remove", "2153", "", false),
                msg("113411", "")), events(parse("event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\n"
                + "data: 113411\n\n")));
    }

    @Test
    void lastEventIdPersistsAcrossEventsUntilChanged() {
        List<SseFrame> frames = parse("id: 7\ndata: a\n\ndata: b\n\nid: 8\ndata: c\n\n");
        assertEquals(List.of(new SseFrame.Event("message", "a", "7", true), msg("b", "7"),
                new SseFrame.Event("message", "c", "8", true)), frames);
    }

    @Test
    void anIdOnlyBlockUpdatesTheIdWithoutAnEvent() {
        SseParser p = new SseParser();
        assertEquals(List.of(), p.feed("id: 42\n\n"));
        assertEquals("42", p.lastEventId());
        assertEquals(List.of(msg("x", "42")), p.feed("data: x\n\n"));
    }

    @Test
    void anIdContainingNulIsIgnored() {
        SseParser p = new SseParser();
        List<SseFrame> frames = p.feed("id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\n");
        assertEquals(List.of(new SseFrame.Event("message", "a", "1", true), msg("b", "1")), frames);
        assertEquals("1", p.lastEventId());
    }

    @Test
    void theIdSeedCarriesOverFromAPreviousConnection() {
        assertEquals(List.of(msg("x", "99")), new SseParser("99").feed("data: x\n\n"));
    }

    @Test
    void retryOnlyWithAsciiDigits() {
        List<SseFrame> frames = parse("retry: 3000\nretry: 10s\nretry: -1\nretry:\nretry: 1.5\nretry: ５\n"
                + "retry:250\nretry: 99999999999999999999999\n\n");
        assertEquals(List.of(new SseFrame.Retry(3000), new SseFrame.Retry(250)), frames);
    }

    @Test
    void unknownFieldsAndFieldsWithoutColonAreIgnored() {
        assertEquals(List.of(msg("ok", "")), parse("foo: bar\nevent\nDATA: shouted\ndata: ok\n\n"));
    }

    @Test
    void aBlockWithoutDataIsNotDispatchedAndForgetsItsType() {
        assertEquals(List.of(msg("x", "")), parse("event: ghost\n\ndata: x\n\n"));
    }

    @Test
    void crLfAndCrAndLfAllEndLines() {
        List<SseFrame> expected = List.of(new SseFrame.Event("metrics", "a\nb", "1", true));
        assertEquals(expected, parse("event: metrics\r\nid: 1\r\ndata: a\r\ndata: b\r\n\r\n"));
        assertEquals(expected, parse("event: metrics\rid: 1\rdata: a\rdata: b\r\r"));
        assertEquals(expected, parse("event: metrics\nid: 1\r\ndata: a\rdata: b\n\r\n"));
    }

    @Test
    void aCrLfSplitAcrossChunksIsOneLineEnd() {
        SseParser p = new SseParser();
        List<SseFrame> frames = new ArrayList<>(p.feed("data: a\r"));
        frames.addAll(p.feed("\ndata: b\r"));
        frames.addAll(p.feed("\n\r"));
        frames.addAll(p.feed("\n"));
        assertEquals(List.of(msg("a\nb", "")), frames);
    }

    @Test
    void oneLeadingBomIsIgnoredButNotASecond() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        SseParser p = new SseParser();
        List<SseFrame> frames = new ArrayList<>(p.feed(bom));
        frames.addAll(p.feed("data: 1\n\n"));
        assertEquals(List.of(msg("1", "")), frames);

        SseParser twice = new SseParser();
        twice.feed(bom);
        twice.feed(bom);
        // After the first BOM, the line starts with U+FEFF: the field name is "\uFEFFdata", unknown, ignored.
        assertEquals(List.of(), twice.feed("data: 1\n\n"));
    }

    @Test
    void multiByteUtf8SplitAcrossChunksAndInvalidBytesBecomeReplacementChars() {
        byte[] all = "data: é€😀\n\n".getBytes(StandardCharsets.UTF_8);
        SseParser p = new SseParser();
        List<SseFrame> frames = new ArrayList<>();
        for (byte b : all) {
            frames.addAll(p.feed(new byte[] {b}));
        }
        assertEquals(List.of(msg("é€😀", "")), frames);
        assertEquals(List.of(msg("a\uFFFDb", "")), new SseParser().feed(new byte[] {'d', 'a', 't', 'a', ':', 'a',
                (byte) 0xFF, 'b', '\n', '\n'}));
    }

    @Test
    void commentsAreFramesInOrder() {
        assertEquals(List.of(new SseFrame.Comment("heartbeat"), new SseFrame.Comment(""),
                new SseFrame.Comment("  two spaces")), parse(": heartbeat\n\n:\n:   two spaces\n"));
    }

    @Test
    void endOfStreamDiscardsAPartialEvent() {
        SseParser p = new SseParser();
        assertEquals(List.of(), p.feed("id: 5\ndata: half"));
        p.end();
        assertEquals("", p.lastEventId(), "the id of an undispatched block is not applied");
    }

    @Test
    void pulseStreamShape() {
        String stream = "retry: 3000\n\n"
                + "event: metrics\nid: 1764000000000-000001\ndata: {\"total\":1}\n\n"
                + ": heartbeat\n\n"
                + "event: new_item\nid: 1764000000001-000002\ndata: {\"id\":\"1764000000001-000002\"}\n\n"
                + "event: reconnect\nid: 1764000000001-000002\ndata: {\"reason\":\"max_duration\"}\n\n";
        assertEquals(List.of(
                new SseFrame.Retry(3000),
                new SseFrame.Event("metrics", "{\"total\":1}", "1764000000000-000001", true),
                new SseFrame.Comment("heartbeat"),
                new SseFrame.Event("new_item", "{\"id\":\"1764000000001-000002\"}", "1764000000001-000002", true),
                new SseFrame.Event("reconnect", "{\"reason\":\"max_duration\"}", "1764000000001-000002", true)),
                parse(stream));
    }

    @Test
    void feedingByteByByteEqualsFeedingAtOnce() {
        String stream = "retry: 10\r\n: c\r\nevent: e\r\nid: 3\r\ndata: x\r\ndata:\r\n\r\ndata: y\n\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        SseParser p = new SseParser();
        List<SseFrame> oneByOne = new ArrayList<>();
        for (byte b : bytes) {
            oneByOne.addAll(p.feed(new byte[] {b}));
        }
        assertEquals(parse(stream), oneByOne);
    }

    @Test
    void parseOfWholeBlocksGivesTheFramesOfALenientParser() {
        String stream = "retry: 3000\n\nevent: metrics\nid: 7\ndata: {}\n\n: heartbeat\n\n";
        assertEquals(parse(stream), SseParser.parse(stream));
    }

    @Test
    void parseRefusesAnUnknownField() {
        AssertionError refused = assertThrows(AssertionError.class, () -> SseParser.parse("event: x\nvalue: 1\ndata: y\n\n"));
        assertEquals("unknown SSE field: value: 1", refused.getMessage());
    }

    @Test
    void parseRefusesABlockCutShort() {
        for (String cut : List.of("data: x\n", "data: x", ": heartbeat\n", "retry: 3000")) {
            AssertionError refused = assertThrows(AssertionError.class, () -> SseParser.parse(cut), cut);
            assertTrue(refused.getMessage().startsWith("the text ends in the middle of an event"), refused.getMessage());
        }
    }

    @Test
    void anEventsIdIsItsOwnBlocksOnly() {
        List<SseFrame> frames = parse("id: 7\ndata: a\n\ndata: b\n\n");
        assertEquals("7", ((SseFrame.Event) frames.get(0)).id());
        assertNull(((SseFrame.Event) frames.get(1)).id(), "b's block set no id");
        assertEquals("7", ((SseFrame.Event) frames.get(1)).lastEventId());
    }

    @Test
    void aHeartbeatIsTheHeartbeatCommentOnly_andIsEventMatchesTheType() {
        assertTrue(new SseFrame.Comment("heartbeat").isHeartbeat());
        assertFalse(new SseFrame.Comment("heartbeats").isHeartbeat());
        assertFalse(new SseFrame.Event("heartbeat", "", "", false).isHeartbeat());
        assertTrue(new SseFrame.Event("metrics", "{}", "", false).isEvent("metrics"));
        assertFalse(new SseFrame.Event("metrics", "{}", "", false).isEvent("message"));
        assertFalse(new SseFrame.Retry(5).isEvent("metrics"));
    }
}
