package dev.pulse.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results as text tables (stdout), Markdown and JSON: the figures, then logging's cost side by side. */
record Report(Map<String, String> context, List<Figure> figures, List<LoggingCostPhase.SideBySide> logging,
              List<String> notes) {

    private static final String[] LOGGING_HEAD = {"logging cost", "unit", "on: median", "p99", "off: median", "p99",
            "on − off (median)", "n"};

    String table() {
        String[] head = {"figure", "unit", "Pulse median", "p99", "min–max", "n", "baseline median", "ratio", "target", "met"};
        List<String[]> rows = figures.stream().map(Report::cells).toList();
        int[] width = widths(head, rows);
        StringBuilder sb = new StringBuilder();
        appendRow(sb, head, width);
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append("-".repeat(w)).append("  ");
        }
        sb.append(rule.toString().stripTrailing()).append('\n');
        rows.forEach(r -> appendRow(sb, r, width));
        if (!logging.isEmpty()) {
            sb.append('\n');
            List<String[]> costs = logging.stream().map(Report::loggingCells).toList();
            int[] w = widths(LOGGING_HEAD, costs);
            appendRow(sb, LOGGING_HEAD, w);
            costs.forEach(r -> appendRow(sb, r, w));
        }
        return sb.toString();
    }

    private static String[] loggingCells(LoggingCostPhase.SideBySide c) {
        return new String[]{c.name(), c.unit(), num(c.on().median()), num(c.on().p99()), num(c.off().median()),
                num(c.off().p99()), num(c.on().median() - c.off().median()), Integer.toString(c.on().n())};
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("# Pulse benchmark\n\n");
        context.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        sb.append("\n| figure | unit | Pulse median | p99 | min–max | n | baseline median | ratio | target | met |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Figure f : figures) {
            sb.append("| ").append(String.join(" | ", cells(f))).append(" |\n");
        }
        if (!logging.isEmpty()) {
            sb.append("\n| ").append(String.join(" | ", LOGGING_HEAD)).append(" |\n");
            sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
            logging.forEach(c -> sb.append("| ").append(String.join(" | ", loggingCells(c))).append(" |\n"));
        }
        sb.append("\nNotes:\n\n");
        for (Figure f : figures) {
            if (!f.note().isEmpty()) {
                sb.append("- `").append(f.id()).append("`: ").append(f.note()).append('\n');
            }
        }
        logging.forEach(c -> sb.append("- `").append(c.id()).append("`: ").append(c.note()).append('\n'));
        notes.forEach(n -> sb.append("- ").append(n).append('\n'));
        return sb.toString();
    }

    String json() throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        ObjectNode ctx = root.putObject("context");
        context.forEach(ctx::put);
        ArrayNode rows = root.putArray("figures");
        for (Figure f : figures) {
            ObjectNode o = rows.addObject();
            o.put("id", f.id()).put("name", f.name()).put("unit", f.unit());
            o.set("pulse", m.valueToTree(f.pulse()));
            o.set("baseline", f.baseline().n() == 0 ? null : m.valueToTree(f.baseline()));
            if (!Double.isNaN(f.ratio())) {
                o.put("ratio", round(f.ratio()));
            }
            o.put("target", f.target());
            if (f.met() != null) {
                o.put("met", f.met());
            }
            o.put("note", f.note());
        }
        ArrayNode costs = root.putArray("logging_cost");
        for (LoggingCostPhase.SideBySide c : logging) {
            ObjectNode o = costs.addObject();
            o.put("id", c.id()).put("name", c.name()).put("unit", c.unit()).put("note", c.note());
            o.set("logging_on", m.valueToTree(c.on()));
            o.set("logging_off", m.valueToTree(c.off()));
        }
        notes.forEach(root.putArray("notes")::add);
        return m.writeValueAsString(root);
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.json"), json());
        Files.writeString(dir.resolve("results.md"), markdown());
    }

    private static String[] cells(Figure f) {
        Stats p = f.pulse();
        return new String[]{f.name(), f.unit(), num(p.median()), num(p.p99()),
                p.n() == 0 ? "–" : num(p.min()) + "–" + num(p.max()), Integer.toString(p.n()),
                f.baseline().n() == 0 ? "–" : num(f.baseline().median()),
                Double.isNaN(f.ratio()) ? "–" : String.format(Locale.ROOT, "%.1f×", f.ratio()),
                f.target().isEmpty() ? "–" : f.target(),
                f.met() == null ? "–" : f.met() ? "yes" : "NO"};
    }

    /** Each column's width: its widest cell, the head included. */
    private static int[] widths(String[] head, List<String[]> rows) {
        int[] width = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            width[i] = head[i].length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        return width;
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i]).append(" ".repeat(width[i] - cells[i].length())).append("  ");
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
