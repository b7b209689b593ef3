package dev.pulse.local.lambda;

/** A Function URL's invoke mode, as in Terraform's {@code aws_lambda_function_url.invoke_mode}. */
public enum InvokeMode {
    /** The whole response is collected, then sent (payload format 2.0 response, 6 MB cap). */
    BUFFERED,
    /** Bytes reach the client as the function writes them (prelude + 8 NUL bytes + body). */
    RESPONSE_STREAM
}
