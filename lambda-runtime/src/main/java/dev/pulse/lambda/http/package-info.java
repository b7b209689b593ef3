/**
 * HTTP on Lambda Function URLs: the prelude of a streamed response ({@link dev.pulse.lambda.http.HttpPrelude}), the
 * {@link dev.pulse.lambda.runtime.Response} forms a Function URL takes ({@link dev.pulse.lambda.http.HttpResponses}),
 * and the payload-2.0 event a Function URL sends its function ({@link dev.pulse.lambda.http.FunctionUrlEvent}, for a
 * function's tests and a Function URL emulator). The top layer of {@code lambda-runtime}: it builds values for
 * {@code dev.pulse.lambda.runtime} and never writes to a connection.
 */
package dev.pulse.lambda.http;
