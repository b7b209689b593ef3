/**
 * The SSE function's HTTP edge over the runtime: the Function URL event as a request
 * ({@link dev.pulse.sse.http.HttpRequest}) and whole answers written to a response stream
 * ({@link dev.pulse.sse.http.Answers}). Routes, CORS and the answer record are core's
 * ({@code dev.pulse.core.http}), shared with the dashboard. Imports {@code dev.pulse.sse.runtime}, never
 * {@code dev.pulse.sse.app}.
 */
package dev.pulse.sse.http;
