/**
 * HTTP on Lambda Function URLs: the prelude of a streamed response ({@link dev.pulse.lambda.http.HttpPrelude}) and
 * the {@link dev.pulse.lambda.runtime.Response} forms a Function URL takes
 * ({@link dev.pulse.lambda.http.HttpResponses}). The top layer of {@code lambda-runtime}: it builds values for
 * {@code dev.pulse.lambda.runtime} and never writes to a connection.
 */
package dev.pulse.lambda.http;
