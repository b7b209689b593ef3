package dev.pulse.local.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** HTTP bytes as a client sends them, for tests of what the Function URL front does with exactly those bytes. */
public final class RawHttp {

    private RawHttp() {
    }

    /** Sends {@code request} as written and reads back until the server closes or {@code max} bytes came. */
    public static String raw(URI url, String request, int max) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", url.getPort())) {
            socket.setSoTimeout(30_000); // only a hung server waits this long: every answer comes sooner
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return readUntilClosed(socket.getInputStream(), max);
        }
    }

    /** What arrives until the connection ends (a reset included) or {@code max} bytes, as ISO-8859-1 text. */
    public static String readUntilClosed(InputStream in, int max) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while (text.length() < max && (n = in.read(buffer)) >= 0) {
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketException reset) {
            // what was read before the reset is the answer
        }
        return text.toString();
    }
}
