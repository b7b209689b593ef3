package dev.pulse.e2e.infra;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** Every place where two JSON documents differ, one line each, named by its path (functions.sse.url.invoke_mode). */
final class JsonDifferences {

    private JsonDifferences() {
    }

    /** Lines like {@code functions.sse.memory_mb: committed 512, planned 256}; empty when the documents are equal. */
    static List<String> between(JsonNode committed, JsonNode planned) {
        List<String> differences = new ArrayList<>();
        compare("", committed, planned, differences);
        return differences;
    }

    private static void compare(String path, JsonNode committed, JsonNode planned, List<String> differences) {
        if (committed.isObject() && planned.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            committed.fieldNames().forEachRemaining(names::add);
            planned.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String child = path.isEmpty() ? name : path + "." + name;
                if (!planned.has(name)) {
                    differences.add(child + ": only in the committed description (" + committed.get(name) + ")");
                } else if (!committed.has(name)) {
                    differences.add(child + ": only in the plan (" + planned.get(name) + ")");
                } else {
                    compare(child, committed.get(name), planned.get(name), differences);
                }
            }
        } else if (committed.isArray() && planned.isArray() && committed.size() == planned.size()) {
            Iterator<JsonNode> c = committed.elements();
            Iterator<JsonNode> p = planned.elements();
            for (int i = 0; c.hasNext(); i++) {
                compare(path + "[" + i + "]", c.next(), p.next(), differences);
            }
        } else if (!committed.equals(planned)) {
            differences.add(path + ": committed " + committed + ", planned " + planned);
        }
    }

    /** For messages: the differences, indented. */
    static String render(List<String> differences) {
        return "  " + String.join("\n  ", differences);
    }
}
