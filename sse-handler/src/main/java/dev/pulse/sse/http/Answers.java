package dev.pulse.sse.http;

import dev.pulse.core.http.HttpResponse;
import dev.pulse.sse.runtime.ResponseStream;

import java.io.IOException;

/** A whole answer (status, health, an error) goes out through the streaming protocol too: the head, then one chunk. */
public final class Answers {

    private Answers() {
    }

    public static void send(ResponseStream out, HttpResponse response) throws IOException {
        out.writeHead(response.status(), response.headers());
        out.writeChunk(response.body());
    }
}
