/**
 * HTTP/1.1 on plain sockets and the little JSON the runtime writes: the lowest layer of {@code lambda-runtime}, and
 * the one implementation of this wire in the project (the local emulator's servers use it too). Knows nothing of
 * Lambda. Plain sockets because a streamed Lambda response ends with HTTP trailers, which no JDK HTTP client sends.
 */
package dev.pulse.lambda.wire;
