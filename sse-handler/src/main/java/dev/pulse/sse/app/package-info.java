/**
 * The SSE function's application: routing of its few paths ({@link dev.pulse.sse.app.SseApp}), the stream's
 * single writer with its heartbeat timer and end ({@link dev.pulse.sse.app.StreamSession}), the poller that
 * finds new items in commit order ({@link dev.pulse.sse.app.ItemPoller}), the wire text of events
 * ({@link dev.pulse.sse.app.EventSink}) and the settings. It implements the runtime's
 * {@link dev.pulse.lambda.runtime.Handler}: it returns each answer as a value, and the runtime writes every byte. The
 * top layer.
 */
package dev.pulse.sse.app;
