/**
 * The SSE function's application: routing of its few paths ({@link dev.pulse.sse.app.SseApp}), the stream's
 * single writer with its heartbeat timer and end ({@link dev.pulse.sse.app.StreamSession}), the environment's one
 * feed that polls the table and hands every stream its items in commit order ({@link dev.pulse.sse.app.ItemFeed},
 * each stream's {@link dev.pulse.sse.app.FeedSubscription}, which catches up from the table on its own when it
 * resumes or falls behind), the wire text of events ({@link dev.pulse.sse.app.EventSink}), init-time priming and the
 * settings. It implements the runtime's {@link dev.pulse.lambda.runtime.Handler}: it returns each answer as a value,
 * and the runtime writes every byte. The top layer.
 */
package dev.pulse.sse.app;
