package dev.pulse.lambda.runtime;

/**
 * A function: one invocation's event in, its {@link Response} out. It decides everything before the first byte (a
 * streamed response's head is part of the value it returns); the runtime writes every byte. An exception it throws
 * is reported to Lambda as the invocation's error ({@link InvalidEventException} as {@code Runtime.InvalidEvent}).
 * With {@code AWS_LAMBDA_MAX_CONCURRENCY} above 1, many threads call one handler at once.
 */
@FunctionalInterface
public interface Handler {

    Response handle(byte[] event, Context context) throws Exception;
}
