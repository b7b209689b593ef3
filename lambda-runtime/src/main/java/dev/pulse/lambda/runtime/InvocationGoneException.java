package dev.pulse.lambda.runtime;

import java.io.IOException;

/**
 * The Runtime API answered {@code 410 Gone} to a response or an error: the invocation it belongs to has already
 * timed out, and Lambda refuses the late answer so that it never reaches another invocation. Logged; the worker goes on.
 */
final class InvocationGoneException extends IOException {

    InvocationGoneException(String path, String answer) {
        super(path + " answered 410 Gone: the invocation already timed out" + (answer.isBlank() ? "" : " (" + answer + ")"));
    }
}
