package dev.pulse.sse.app;

import dev.pulse.core.telemetry.Level;
import dev.pulse.core.telemetry.LogLine;
import dev.pulse.core.telemetry.MetricUnit;
import dev.pulse.core.telemetry.Telemetry;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One stream's lines (docs/operations.md): a start line, an end line with what the stream did and why it ended,
 * and, on a long or busy stream, progress lines in between, so its metrics reach CloudWatch at least every
 * {@link #FLUSH_EVERY_NANOS} and no metric member holds more than {@link LogLine#MAX_VALUES} samples. Every line is
 * INFO or above: an EMF line below the function's level would be dropped, and its metrics with it.
 */
final class StreamLog {

    static final long FLUSH_EVERY_NANOS = 60_000_000_000L;
    static final String STARTED = "StreamsStarted";
    static final String ENDED = "StreamsEnded";

    private final Telemetry telemetry;
    private final String requestId;
    private final StreamStats stats;
    private final long startedNanos;
    private long flushedNanos;

    StreamLog(Telemetry telemetry, String requestId, StreamStats stats, long startedNanos) {
        this.telemetry = telemetry;
        this.requestId = requestId;
        this.stats = stats;
        this.startedNanos = startedNanos;
        this.flushedNanos = startedNanos;
    }

    /**
     * @param start          where the stream starts (fresh at the snapshot, or resumed after the client's id)
     * @param resumeIgnored  the client sent a resume id that is not one of this table's (so the stream starts fresh)
     * @param setupNanos     from the invocation to the head: the metrics read and the head written
     */
    void started(String path, String tags, StreamSession.Start start, boolean resumeIgnored, EndReason plannedEnd,
                 long endsInMillis, long setupNanos) {
        telemetry.log(Level.INFO, "stream start", line -> line.requestId(requestId)
                .field("event", "stream_start")
                .field("method", "GET")
                .field("path", path)
                .field("status", 200)
                .field("tags", tags)
                .field("start", start.fresh() ? "fresh" : "resume")
                .field("resumed_from", start.resumedFrom())
                .field("resume_ignored", resumeIgnored)
                .field("planned_end", plannedEnd.logName())
                .field("ends_in_ms", endsInMillis)
                .field("setup_ms", setupNanos / 1e6)
                .metric(STARTED, MetricUnit.COUNT, 1));
    }

    /** Progress lines when a minute has passed or samples are piling up; called by the writer whenever it wakes. */
    void flushIfDue(long nowNanos) {
        if (nowNanos - flushedNanos >= FLUSH_EVERY_NANOS || stats.full(LogLine.MAX_VALUES)) {
            flushedNanos = nowNanos;
            write(stats.drain(), "stream progress", Level.INFO, line -> line.field("event", "stream_progress")
                    .field("events_sent", stats.events()).field("items_sent", stats.items()));
        }
    }

    /** The end line; {@code error} is the failure of an {@link EndReason#ERROR} or {@link EndReason#CLIENT_GONE} end. */
    void ended(EndReason reason, String lastEventId, String resumedFrom, Throwable error, long nowNanos) {
        long durationMillis = Math.round((nowNanos - startedNanos) / 1e6);
        Level level = switch (reason) {
            case ERROR -> Level.ERROR;
            case CLIENT_GONE -> Level.WARN;
            default -> Level.INFO;
        };
        String message = String.format(Locale.ROOT, "stream end: %s after %.1f s, %d events (%d items), %d heartbeats",
                reason.logName(), durationMillis / 1000.0, stats.events(), stats.items(), stats.heartbeats());
        write(stats.drain(), message, level, line -> line.field("event", "stream_end")
                .field("reason", reason.logName())
                .field("duration_ms", durationMillis)
                .field("events_sent", stats.events())
                .field("items_sent", stats.items())
                .field("heartbeats", stats.heartbeats())
                .field("poll_failures", stats.pollFailures())
                .field("last_event_id", lastEventId)
                .field("resumed_from", resumedFrom)
                .field("error", error == null ? null : describe(error))
                .metric("reason", reason.logName(), ENDED, MetricUnit.COUNT, 1)
                .metric("StreamDuration", MetricUnit.MILLISECONDS, durationMillis));
    }

    /**
     * The window's metrics on one line with {@code fields}; when it holds more samples than one line may carry, the
     * earlier ones go first on progress lines of their own.
     */
    private void write(StreamStats.Window window, String message, Level level, Consumer<LogLine> fields) {
        List<Long> poll = window.pollMillis();
        List<Long> lag = window.lagMillis();
        int max = LogLine.MAX_VALUES;
        while (poll.size() > max || lag.size() > max) {
            List<Long> pollPart = poll.subList(0, Math.min(max, poll.size()));
            List<Long> lagPart = lag.subList(0, Math.min(max, lag.size()));
            telemetry.log(Level.INFO, "stream progress", line -> line.requestId(requestId)
                    .field("event", "stream_progress")
                    .metric("PollLatency", MetricUnit.MILLISECONDS, pollPart)
                    .metric("DeliveryLag", MetricUnit.MILLISECONDS, lagPart));
            poll = poll.subList(pollPart.size(), poll.size());
            lag = lag.subList(lagPart.size(), lag.size());
        }
        List<Long> pollRest = poll;
        List<Long> lagRest = lag;
        telemetry.log(level, message, line -> {
            line.requestId(requestId);
            fields.accept(line);
            line.metric("EventsDelivered", MetricUnit.COUNT, window.events())
                    .metric("ItemsDelivered", MetricUnit.COUNT, window.items())
                    .metric("PollFailures", MetricUnit.COUNT, window.pollFailures())
                    .metric("PollLatency", MetricUnit.MILLISECONDS, pollRest)
                    .metric("DeliveryLag", MetricUnit.MILLISECONDS, lagRest);
        });
    }

    /** The failure's type and first line of message: no stack, and short, since a message may quote data. */
    static String describe(Throwable error) {
        String message = error.getMessage() == null ? "" : error.getMessage().lines().findFirst().orElse("");
        if (message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        return error.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
    }
}
