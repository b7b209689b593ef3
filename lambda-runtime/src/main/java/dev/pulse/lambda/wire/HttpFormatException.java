package dev.pulse.lambda.wire;

import java.io.IOException;

/** Bytes that are not the HTTP/1.1 they claim to be: a bad start line, header line, length or chunk size. */
public class HttpFormatException extends IOException {

    public HttpFormatException(String message) {
        super(message);
    }
}
