/**
 * The SSE function's HTTP edge: the invocation payload as core's request ({@link dev.pulse.sse.http.Payloads}) and a
 * whole answer as a {@link dev.pulse.lambda.runtime.Response} ({@link dev.pulse.sse.http.Answers}). Routes, CORS, the
 * request and answer records and the query string are core's ({@code dev.pulse.core.http}), shared with the
 * dashboard; the prelude and the streaming protocol are {@code lambda-runtime}'s. Never imports
 * {@code dev.pulse.sse.app}.
 */
package dev.pulse.sse.http;
