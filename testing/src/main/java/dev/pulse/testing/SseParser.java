package dev.pulse.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental parser for {@code text/event-stream} following the WHATWG HTML "Server-sent events"
 * interpretation rules: UTF-8 (invalid bytes become U+FFFD), one leading BOM ignored, lines end with
 * CRLF, LF or CR (a CRLF split across two chunks counts once), fields {@code event}, {@code data},
 * {@code id} (ignored if it contains NUL), {@code retry} (ignored unless ASCII digits), unknown
 * fields ignored, one space after the colon stripped, a blank line dispatches, an event with an
 * empty data buffer is not dispatched, and an unfinished event at end of stream is discarded.
 *
 * <p>Comments and valid {@code retry} values are frames of their own, in arrival order, so a
 * heartbeat ({@code : heartbeat}) and a reconnection delay can be seen where a browser hides them.
 *
 * <p>Not thread-safe; one instance per connection, except that {@link #lastEventId()} can seed a
 * new parser ({@link #SseParser(String)}) the way a browser keeps it across reconnects.
 */
public final class SseParser {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private final boolean strict;
    private String eventType = "";
    private String lastEventIdBuffer;
    private String lastEventId;
    private boolean idInBlock;
    private boolean blockOpen;
    private boolean afterCr;
    private boolean firstLine = true;

    public SseParser() {
        this("");
    }

    /** @param lastEventId the last event ID carried over from a previous connection */
    public SseParser(String lastEventId) {
        this(lastEventId, false);
    }

    private SseParser(String lastEventId, boolean strict) {
        this.lastEventId = lastEventId == null ? "" : lastEventId;
        this.lastEventIdBuffer = this.lastEventId;
        this.strict = strict;
    }

    /**
     * Every frame of {@code text}, which must hold whole blocks only, each ended by its blank line: an unknown
     * field or a block cut short is an {@link AssertionError}. For tests that check the exact bytes a function
     * wrote, where a browser's leniency would hide a fault.
     */
    public static List<SseFrame> parse(String text) {
        SseParser parser = new SseParser("", true);
        List<SseFrame> frames = parser.feed(text);
        if (parser.blockOpen || parser.line.size() > 0) {
            throw new AssertionError("the text ends in the middle of an event: " + text);
        }
        return frames;
    }

    /** Feeds bytes; returns the frames completed by them (possibly none). */
    public List<SseFrame> feed(byte[] bytes, int off, int len) {
        List<SseFrame> out = new ArrayList<>();
        for (int i = off; i < off + len; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (afterCr) {
                    afterCr = false; // the LF of a CRLF: the line already ended at the CR
                    continue;
                }
                endLine(out);
            } else if (b == '\r') {
                afterCr = true;
                endLine(out);
            } else {
                afterCr = false;
                line.write(b);
            }
        }
        return out;
    }

    public List<SseFrame> feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    /** Convenience for tests: feeds the UTF-8 bytes of {@code text}. */
    public List<SseFrame> feed(String text) {
        return feed(text.getBytes(StandardCharsets.UTF_8));
    }

    /** End of stream: a partial line and an undispatched event are discarded (WHATWG). */
    public void end() {
        line.reset();
        data.setLength(0);
        eventType = "";
        idInBlock = false;
        blockOpen = false;
    }

    /** The last event ID string of the stream (what a reconnect sends as {@code Last-Event-ID}). */
    public String lastEventId() {
        return lastEventId;
    }

    private void endLine(List<SseFrame> out) {
        byte[] raw = line.toByteArray();
        line.reset();
        int start = 0;
        if (firstLine) {
            firstLine = false;
            if (raw.length >= 3 && (raw[0] & 0xFF) == 0xEF && (raw[1] & 0xFF) == 0xBB && (raw[2] & 0xFF) == 0xBF) {
                start = 3;
            }
        }
        String text = new String(raw, start, raw.length - start, StandardCharsets.UTF_8);
        processLine(text, out);
    }

    private void processLine(String text, List<SseFrame> out) {
        if (text.isEmpty()) {
            blockOpen = false;
            dispatch(out);
            return;
        }
        blockOpen = true;
        if (text.charAt(0) == ':') {
            String comment = text.substring(1);
            out.add(new SseFrame.Comment(comment.startsWith(" ") ? comment.substring(1) : comment));
            return;
        }
        int colon = text.indexOf(':');
        String field;
        String value;
        if (colon < 0) {
            field = text;
            value = "";
        } else {
            field = text.substring(0, colon);
            value = text.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
        }
        switch (field) {
            case "event" -> eventType = value;
            case "data" -> data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventIdBuffer = value;
                    idInBlock = true;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    try {
                        out.add(new SseFrame.Retry(Long.parseLong(value)));
                    } catch (NumberFormatException tooLarge) {
                        // All digits but beyond a long: not a usable reconnection time; ignore.
                    }
                }
            }
            default -> {
                if (strict) {
                    throw new AssertionError("unknown SSE field: " + text);
                }
                // Unknown fields are ignored.
            }
        }
    }

    private void dispatch(List<SseFrame> out) {
        lastEventId = lastEventIdBuffer;
        boolean hadId = idInBlock;
        idInBlock = false;
        if (data.isEmpty()) {
            eventType = "";
            return;
        }
        String payload = data.substring(0, data.length() - 1); // drop the final LF
        String type = eventType.isEmpty() ? "message" : eventType;
        data.setLength(0);
        eventType = "";
        out.add(new SseFrame.Event(type, payload, lastEventId, hadId));
    }
}
