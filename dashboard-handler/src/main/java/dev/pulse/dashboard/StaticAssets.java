package dev.pulse.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The dashboard page's files, read from the jar once. Only the paths listed here are served, so no
 * request path ever reaches the class loader.
 */
final class StaticAssets {

    record Asset(String contentType, String body, String etag) {
    }

    private static final String BASE = "/dev/pulse/dashboard/web/";
    private final Map<String, Asset> byPath;

    private StaticAssets(Map<String, Asset> byPath) {
        this.byPath = byPath;
    }

    static StaticAssets load() {
        return new StaticAssets(Map.of(
                "/", asset("index.html", "text/html; charset=utf-8"),
                "/assets/app.js", asset("app.js", "text/javascript; charset=utf-8"),
                "/assets/app.css", asset("app.css", "text/css; charset=utf-8")));
    }

    Asset get(String path) {
        return byPath.get(path);
    }

    java.util.Set<String> paths() {
        return byPath.keySet();
    }

    private static Asset asset(String name, String contentType) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar is missing " + BASE + name);
            }
            byte[] bytes = in.readAllBytes();
            return new Asset(contentType, new String(bytes, StandardCharsets.UTF_8), etag(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + BASE + name, e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
