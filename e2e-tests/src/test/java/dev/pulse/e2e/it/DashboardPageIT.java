package dev.pulse.e2e.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.e2e.browser.HeadlessBrowser;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.local.LocalPulseProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard page in a real headless Chromium: it lists, goes live over {@code EventSource} to the SSE
 * URL (another origin, so CORS is exercised), draws the chart and the per-tag bars from what the stream
 * delivers, filters by tag (the URL keeps the choice), keeps an honest connection panel through a
 * server-ended stream, and holds its layout on a 375 px screen. Screenshots go to
 * {@code e2e-tests/target/screenshots/} for a reviewer to look at.
 */
@Tag("sse")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(E2eExtension.class)
class DashboardPageIT {
    private static final Duration LOAD = Duration.ofSeconds(20);
    private static final Duration ARRIVAL = Duration.ofSeconds(10);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String STATE = "(document.getElementById('connection') || {dataset: {}}).dataset.state || ''";
    private static final String CHART_TOTALS = "JSON.parse(document.getElementById('chart-summary').dataset.totals || '{}')";

    @Test
    void thePageListsGoesLiveChartsFiltersAndHoldsItsLayout(E2eRun run) throws IOException {
        Path chrome = chrome();
        PulseClient client = run.client();
        String tag = E2eRun.uniqueTag();
        // Written before the page loads, so it can only come from the page's first /api/v2/items read.
        String seedId = Api.post(client, tag, "written before the page loaded").path("id").asText();

        try (HeadlessBrowser page = HeadlessBrowser.start(chrome)) {
            page.viewport(1280, 1000);
            page.navigate(run.targets().dashboardUrl() + "/");
            page.waitFor(row(seedId), JsonNode::asBoolean, LOAD, "the first items read to show " + seedId);
            page.waitFor(STATE, v -> v.asText().equals("live"), LOAD, "the EventSource to the SSE URL to go live");
            page.waitFor("document.querySelectorAll('#chart .u-legend .u-series').length", v -> v.asInt() == 4,
                    LOAD, "uPlot to draw the time axis and the three label series");
            JsonNode before = page.waitFor(CHART_TOTALS, v -> v.has("positive"), LOAD, "the chart's totals");

            // One item of each label while the page is open: only the stream can bring them.
            String live = Api.post(client, Api.item(tag, "positive", 0.9, "written while the page was open")).path("id").asText();
            Api.post(client, Api.item(tag, "neutral", 0.5, "neutral one"));
            String last = Api.post(client, Api.item(tag, "negative", 0.1, "negative one")).path("id").asText();
            page.waitFor(row(last), JsonNode::asBoolean, ARRIVAL, "the stream to deliver " + last + " to the page");
            assertEquals("written while the page was open", page.text(
                    "document.querySelector('#items li[data-id=\"" + live + "\"] .text').textContent"));
            assertTrue(page.evaluate("document.querySelector('#items li[data-id=\"" + live + "\"]')"
                    + ".classList.contains('fresh')").asBoolean(), "the item is marked as arrived live");
            assertEquals(last, page.text("document.querySelector('#items li').dataset.id"), "the newest item is first");
            JsonNode after = page.waitFor(CHART_TOTALS, v -> v.path("negative").asInt() > before.path("negative").asInt()
                    && v.path("neutral").asInt() > before.path("neutral").asInt(), ARRIVAL, "the chart to count the new items");
            String[] labels = {"positive", "neutral", "negative"};
            for (int i = 0; i < labels.length; i++) {
                String label = labels[i];
                assertTrue(after.path(label).asInt() >= before.path(label).asInt() + 1, () -> label + ": " + before + " -> " + after);
                // What uPlot itself holds: series i + 1 (0 is time), summed over the window.
                assertEquals(label, page.text("document.getElementById('chart').plot.series[" + (i + 1) + "].label"));
                assertEquals(after.path(label).asInt(), page.evaluate("document.getElementById('chart').plot.data["
                        + (i + 1) + "].reduce((a, b) => a + b, 0)").asInt(), label + " series in the chart");
            }
            page.waitFor(segment(tag, "negative"), v -> v.asInt() == 1, ARRIVAL, "the " + tag + " bar to count its negative item");
            assertEquals(2, page.evaluate(segment(tag, "positive")).asInt(), "seed + live positive item in the tag's bar");
            assertEquals(1, page.evaluate(segment(tag, "neutral")).asInt());
            assertTrue(page.evaluate("(() => { const ids = [...document.querySelectorAll('#items li')].map(li => li.dataset.id);"
                    + " return ids.length > 0 && new Set(ids).size === ids.length; })()").asBoolean(),
                    "no item is shown twice (the list and the stream's replay overlap at the newest listed id)");
            page.screenshot(SCREENSHOTS.resolve("dashboard-1280.png"));

            // The filter: the URL keeps it, the list and the stream follow it.
            String other = E2eRun.uniqueTag();
            page.evaluate("document.getElementById('filter-tags').value = '" + tag.toLowerCase() + "';"
                    + " document.getElementById('filter-form').requestSubmit(); true");
            page.waitFor("new URL(location.href).searchParams.get('tags')", v -> tag.equals(v.asText()), LOAD,
                    "the URL to keep the filter " + tag);
            page.waitFor(STATE, v -> v.asText().equals("live"), LOAD, "the filtered stream to go live");
            String otherId = Api.post(client, other, "another tag: must not show").path("id").asText();
            String mineId = Api.post(client, tag, "my tag: must show").path("id").asText();
            page.waitFor(row(mineId), JsonNode::asBoolean, ARRIVAL, "the filtered stream to deliver " + mineId);
            assertTrue(!page.evaluate(row(otherId)).asBoolean(), "an item of another tag stays off a filtered page");
            assertTrue(page.evaluate("[...document.querySelectorAll('#items li')].every(li => li.dataset.tag === '" + tag + "')")
                    .asBoolean(), "only the filtered tag is listed");

            // Long values and a phone-sized screen.
            Api.post(client, Api.item("ABCDEFGHIJKLMNOP", "neutral", 0.5, "x".repeat(300))
                    .put("source", "https://example.invalid/" + "a".repeat(70)));
            page.evaluate("document.getElementById('filter-clear').click(); true");
            page.waitFor("new URL(location.href).searchParams.has('tags')", v -> !v.asBoolean(), LOAD, "the filter to clear");
            page.viewport(375, 812);
            page.waitFor("document.documentElement.scrollWidth", v -> v.asInt() <= 375, LOAD,
                    "the page to fit a 375 px screen without sideways scrolling");
            assertTrue(page.evaluate("[...document.querySelectorAll('.card')].every(c => c.getBoundingClientRect().right"
                    + " <= c.closest('section').getBoundingClientRect().right + 0.5)").asBoolean(), "the metric cards stay in their panel");
            assertTrue(page.evaluate("[...document.querySelectorAll('#items li, #by-tag li')].every(li => li.scrollWidth <= li.clientWidth + 1)")
                    .asBoolean(), "a long tag, source or text never pushes a row wider than the list");
            page.screenshot(SCREENSHOTS.resolve("dashboard-375.png"));
            assertTrue(Files.size(SCREENSHOTS.resolve("dashboard-1280.png")) > 10_000, "a real screenshot was written");
            assertTrue(page.pageErrors().isEmpty(), () -> "script errors on the page: " + page.pageErrors());
        }
    }

    @Test
    void theConnectionPanelTellsTheTruthThroughAServerEndedStream(E2eRun run) throws IOException {
        Path chrome = chrome();
        assumeTrue(run.startedLocalPulse(), "needs a local stack started by the suite (E2E_TARGET=local):"
                + " it starts a second one whose streams end after 4 s");
        try (LocalPulseProcess stack = run.startAnotherLocalPulse(Map.of("SSE_MAX_STREAM_SECONDS", "4"));
             HeadlessBrowser page = HeadlessBrowser.start(chrome)) {
            PulseClient client = new PulseClient(stack.targets(), run.auth());
            String tag = E2eRun.uniqueTag();
            page.navigate(stack.targets().dashboardUrl() + "/");
            page.waitFor(STATE, v -> v.asText().equals("live"), LOAD, "the page to go live");
            page.waitFor("Number(document.getElementById('c-rotations').textContent.split(' ')[0])", v -> v.asInt() >= 1,
                    Duration.ofSeconds(15), "the panel to count the server-ended stream");
            assertTrue(page.text("document.getElementById('c-rotations').textContent").contains("last at"),
                    "the panel keeps when the stream last rotated, so the rotation is seen, not flashed");
            page.waitFor(STATE, v -> v.asText().equals("live"), ARRIVAL, "the page to be live again after the rotation");
            page.waitFor("Number(document.getElementById('c-reconnects').textContent)", v -> v.asInt() >= 1, ARRIVAL,
                    "the panel to count the reconnect");
            String id = Api.post(client, tag, "after the rotation").path("id").asText();
            page.waitFor(row(id), JsonNode::asBoolean, ARRIVAL, "the resumed stream to deliver " + id);
            page.waitFor("document.getElementById('c-last-id').textContent", v -> v.asText().compareTo(id) >= 0, ARRIVAL,
                    "the panel's last event id to reach " + id);
            assertTrue(page.text("document.getElementById('c-lag').textContent").endsWith("(server clock to this one)"),
                    "the delivery lag of the last item is shown");
            assertTrue(page.text("document.getElementById('c-since').textContent").endsWith(" s"));
            assertTrue(page.pageErrors().isEmpty(), () -> "script errors on the page: " + page.pageErrors());
            page.screenshot(SCREENSHOTS.resolve("dashboard-after-rotation.png"));
        }
    }

    private static Path chrome() {
        Path chrome = HeadlessBrowser.findExecutable().orElse(null);
        assumeTrue(chrome != null, "no Chromium or Chrome found (CHROME_BIN, or chromium / google-chrome on PATH)");
        return chrome;
    }

    private static String row(String id) {
        return "!!document.querySelector('#items li[data-id=\"" + id + "\"]')";
    }

    private static String segment(String tag, String label) {
        return "Number((document.querySelector('#by-tag li[data-tag=\"" + tag + "\"] .seg[data-label=\"" + label
                + "\"]') || {dataset: {count: -1}}).dataset.count)";
    }
}
