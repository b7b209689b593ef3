package dev.pulse.dashboard;

import dev.pulse.core.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard page's files, read from the jar once. Only the paths listed here are served, so no
 * request path ever reaches the class loader.
 */
final class StaticAssets {

    record Asset(String contentType, String body, String etag) {
    }

    private static final String BASE = "/dev/pulse/dashboard/web/";
    /** The chart library's WebJar; its version comes from the jar itself, so the pom names it once. */
    private static final String UPLOT_POM = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private final Map<String, Asset> byPath;

    private StaticAssets(Map<String, Asset> byPath) {
        this.byPath = byPath;
    }

    static StaticAssets load() {
        String uplot = "/META-INF/resources/webjars/uplot/" + webJarVersion(UPLOT_POM) + "/dist/";
        return new StaticAssets(Map.of(
                "/", asset(BASE + "index.html", "text/html; charset=utf-8"),
                "/assets/app.js", asset(BASE + "app.js", "text/javascript; charset=utf-8"),
                "/assets/app.css", asset(BASE + "app.css", "text/css; charset=utf-8"),
                "/assets/uplot.min.js", asset(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
                "/assets/uplot.min.css", asset(uplot + "uPlot.min.css", "text/css; charset=utf-8")));
    }

    Asset get(String path) {
        return byPath.get(path);
    }

    java.util.Set<String> paths() {
        return byPath.keySet();
    }

    private static Asset asset(String resource, String contentType) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar is missing " + resource);
            }
            byte[] bytes = in.readAllBytes();
            return new Asset(contentType, new String(bytes, StandardCharsets.UTF_8), etag(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + resource, e);
        }
    }

    private static String webJarVersion(String pomProperties) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(pomProperties)) {
            if (in == null) {
                throw new IllegalStateException("the jar is missing " + pomProperties);
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + pomProperties, e);
        }
    }

    private static String etag(byte[] bytes) {
        return "\"" + HexFormat.of().formatHex(Sha256.of(bytes), 0, 12) + "\"";
    }
}
