package dev.pulse.lambda.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The floor {@link RuntimeBench} measures the runtime against: a loop with nothing in it, which reads a {@code /next}
 * answer and at once posts a streamed response of the same bytes on a fresh connection. What
 * the runtime adds is its time minus this one's.
 */
public final class FloorFunction {

    private FloorFunction() {
    }

    public static void main(String[] args) throws IOException {
        String[] api = System.getenv("AWS_LAMBDA_RUNTIME_API").split(":");
        while (true) {
            String requestId;
            try (Socket next = new Socket(api[0], Integer.parseInt(api[1]))) {
                next.getOutputStream().write(("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                requestId = requestId(next.getInputStream());
            }
            try (Socket response = new Socket(api[0], Integer.parseInt(api[1]))) {
                response.setTcpNoDelay(true);
                OutputStream out = response.getOutputStream();
                String prelude = "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"text/plain\"},\"cookies\":[]}\0\0\0\0\0\0\0\0";
                out.write(("POST /2018-06-01/runtime/invocation/" + requestId + "/response HTTP/1.1\r\nHost: x\r\n"
                        + "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n"
                        + "Content-Type: application/vnd.awslambda.http-integration-response\r\nConnection: close\r\n\r\n"
                        + Integer.toHexString(prelude.length()) + "\r\n" + prelude + "\r\n6\r\nhello\n\r\n0\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                response.getInputStream().readAllBytes();
            }
        }
    }

    /** The request id from the whole answer (read to its end: the Runtime API closes the connection after it). */
    private static String requestId(InputStream in) throws IOException {
        String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        String name = "Lambda-Runtime-Aws-Request-Id: ";
        int at = answer.indexOf(name);
        if (at < 0) {
            throw new IOException("no request id in the /next answer");
        }
        return answer.substring(at + name.length(), answer.indexOf("\r\n", at));
    }
}
