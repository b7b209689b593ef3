package dev.pulse.e2e.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.e2e.TempDirs;
import dev.pulse.e2e.infra.Executables;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real headless Chromium (or Chrome) driven over the DevTools protocol, with the JDK's WebSocket client:
 * enough to load the dashboard page, run its JavaScript for real (fetch, {@code EventSource}, CORS between
 * the two Function URLs) and read the DOM. One browser, one page; {@link #close()} stops the whole process
 * tree and removes its profile directory.
 */
public final class HeadlessBrowser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);
    private static final List<String> CANDIDATES =
            List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final DevToolsListener listener;
    private final AtomicInteger ids = new AtomicInteger();

    private HeadlessBrowser(Process process, Path profile, WebSocket socket, DevToolsListener listener) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
        this.listener = listener;
    }

    /** {@code CHROME_BIN} when set, else the first of chromium / chromium-browser / google-chrome on {@code PATH}. */
    public static Optional<Path> findExecutable() {
        String explicit = System.getenv("CHROME_BIN");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        }
        return CANDIDATES.stream().map(Executables::onPath).flatMap(Optional::stream).findFirst();
    }

    /** Starts the browser on a free loopback debugging port and attaches to its first page. */
    public static HeadlessBrowser start(Path executable) throws IOException {
        Path profile = Files.createTempDirectory("pulse-browser-");
        // The flags keep a headless browser from calling out: this machine has no network beyond loopback.
        Process process = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("browser.log").toFile())
                .start();
        try {
            int port = awaitDebuggingPort(process, profile, Duration.ofSeconds(30));
            URI pageSocket = firstPageSocket(port);
            DevToolsListener listener = new DevToolsListener();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(pageSocket, listener)
                    .get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            HeadlessBrowser attached = new HeadlessBrowser(process, profile, socket, listener);
            attached.send("Runtime.enable", JSON.createObjectNode());   // script errors and console events
            return attached;
        } catch (IOException | RuntimeException | ExecutionException | TimeoutException e) {
            stop(process, profile);
            throw new IOException("headless browser " + executable + " did not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process, profile);
            throw new IOException("interrupted while starting " + executable, e);
        }
    }

    /** Loads {@code url} in the page (returns when navigation is committed; scripts then run on their own). */
    public void navigate(String url) {
        JsonNode result = send("Page.navigate", JSON.createObjectNode().put("url", url));
        if (result.hasNonNull("errorText")) {
            throw new AssertionError("the browser could not load " + url + ": " + result.get("errorText").asText());
        }
    }

    /** The value of a JavaScript expression in the page (JSON-serialisable values only). */
    public JsonNode evaluate(String expression) {
        JsonNode result = send("Runtime.evaluate",
                JSON.createObjectNode().put("expression", expression).put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("page script failed: " + expression + ": " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    public String text(String expression) {
        return evaluate(expression).asText();
    }

    /**
     * Polls {@code expression} until {@code until} holds for its value; on timeout the assertion names the
     * last value, the page's text and any script errors.
     */
    public JsonNode waitFor(String expression, Predicate<JsonNode> until, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode value = null;
        while (System.nanoTime() - deadline < 0) {
            value = evaluate(expression);
            if (until.test(value)) {
                return value;
            }
            sleep(100);
        }
        throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "; last value " + value
                + "; page text: " + abbreviate(text("document.body ? document.body.innerText : ''"))
                + "; script errors: " + pageErrors());
    }

    /** Lays the page out as on a screen {@code width} × {@code height} CSS pixels wide (a phone: 375 × 812). */
    public void viewport(int width, int height) {
        send("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
    }

    /** Saves a PNG of the whole page (not only the viewport) to {@code file}. */
    public Path screenshot(Path file) throws IOException {
        JsonNode result = send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")
                .put("captureBeyondViewport", true));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, java.util.Base64.getDecoder().decode(result.path("data").asText()));
        return file;
    }

    /** Uncaught exceptions and console errors the page reported so far. */
    public List<String> pageErrors() {
        synchronized (listener.pageErrors) {
            return List.copyOf(listener.pageErrors);
        }
    }

    private JsonNode send(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        listener.pending.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        try {
            socket.sendText(message.toString(), true).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode answer = reply.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (answer.has("error")) {
                throw new AssertionError("DevTools " + method + " failed: " + answer.get("error"));
            }
            return answer.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during DevTools " + method, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("DevTools " + method + " got no answer: " + e, e);
        } finally {
            listener.pending.remove(id);
        }
    }

    /** Reassembles text frames into messages: replies complete their command, events feed {@link #pageErrors}. */
    private static final class DevToolsListener implements WebSocket.Listener {
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final List<String> pageErrors = Collections.synchronizedList(new ArrayList<>());
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                handle(text);
            }
            webSocket.request(1);
            return null;
        }

        private void handle(String text) {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (IOException e) {
                pageErrors.add("unreadable DevTools message: " + abbreviate(text));
                return;
            }
            if (message.has("id")) {
                CompletableFuture<JsonNode> reply = pending.get(message.get("id").asInt());
                if (reply != null) {
                    reply.complete(message);
                }
                return;
            }
            String method = message.path("method").asText();
            JsonNode params = message.path("params");
            if (method.equals("Runtime.exceptionThrown")) {
                JsonNode details = params.path("exceptionDetails");
                pageErrors.add("uncaught: " + details.path("exception").path("description").asText(details.path("text").asText()));
            } else if (method.equals("Runtime.consoleAPICalled") && params.path("type").asText().equals("error")) {
                pageErrors.add("console.error: " + params.path("args"));
            }
        }
    }

    private static int awaitDebuggingPort(Process process, Path profile, Duration timeout) throws IOException {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IOException("the browser exited (status " + process.exitValue() + "): "
                        + abbreviate(Files.readString(profile.resolve("browser.log"))));
            }
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            sleep(50);
        }
        throw new IOException("no DevToolsActivePort after " + timeout.toSeconds() + " s");
    }

    private static URI firstPageSocket(int port) throws IOException, InterruptedException {
        HttpResponse<String> list = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(COMMAND_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode target : JSON.readTree(list.body())) {
            if (target.path("type").asText().equals("page") && target.hasNonNull("webSocketDebuggerUrl")) {
                return URI.create(target.get("webSocketDebuggerUrl").asText());
            }
        }
        throw new IOException("the browser lists no page target: " + abbreviate(list.body()));
    }

    @Override
    public void close() {
        socket.abort();
        stop(process, profile);
    }

    private static void stop(Process process, Path profile) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        TempDirs.deleteTree(profile);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 400 ? oneLine : oneLine.substring(0, 400) + "…";
    }
}
