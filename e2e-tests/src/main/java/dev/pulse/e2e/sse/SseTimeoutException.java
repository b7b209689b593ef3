package dev.pulse.e2e.sse;

import dev.pulse.testing.SseFrame;

import java.util.List;
import java.util.stream.Collectors;

/** An expected frame did not arrive in time; the message lists what did. */
public class SseTimeoutException extends RuntimeException {
    public SseTimeoutException(String message) {
        super(message);
    }

    static String summary(List<Received> frames) {
        int from = Math.max(0, frames.size() - 10);
        return (from > 0 ? "..., " : "") + frames.subList(from, frames.size()).stream()
                .map(r -> switch (r.frame()) {
                    case SseFrame.Event e -> e.type() + "#" + e.lastEventId() + " " + abbreviate(e.data());
                    case SseFrame.Comment c -> ":" + c.text();
                    case SseFrame.Retry rt -> "retry " + rt.millis();
                })
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
