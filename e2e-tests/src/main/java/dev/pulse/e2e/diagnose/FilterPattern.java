package dev.pulse.e2e.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CloudWatch Logs filter pattern on JSON log events, the part of the syntax diagnose uses:
 * {@code { $.a.b = "text" }}, {@code { $.n = 421 }}, {@code !=}, {@code <}, {@code >}, {@code <=}, {@code >=}, a
 * {@code *} wildcard in a quoted string, {@code &&} (binding tighter), {@code ||} and parentheses. The same text goes
 * to FilterLogEvents and is applied here: to the local stack's log files, and again to what an emulator returned
 * (moto and LocalStack ignore JSON patterns). A selector that is absent, or of the other type, does not match; an
 * event that is not a JSON object matches nothing, as in CloudWatch.
 */
public final class FilterPattern {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(\\$(?:\\.[A-Za-z0-9_@-]+)+"      // a selector: $.a.b
                    + "|\"(?:[^\"\\\\]|\\\\.)*\""    // a quoted string
                    + "|-?[0-9]+(?:\\.[0-9]+)?"           // a number
                    + "|&&|\\|\\||!=|<=|>=|=|<|>|\\(|\\)|\\{|\\})");

    private sealed interface Node permits And, Or, Comparison {
        boolean matches(JsonNode event);
    }

    private record And(Node left, Node right) implements Node {
        public boolean matches(JsonNode event) {
            return left.matches(event) && right.matches(event);
        }
    }

    private record Or(Node left, Node right) implements Node {
        public boolean matches(JsonNode event) {
            return left.matches(event) || right.matches(event);
        }
    }

    private record Comparison(List<String> path, String operator, String text, BigDecimal number) implements Node {
        public boolean matches(JsonNode event) {
            JsonNode value = event;
            for (String name : path) {
                value = value.path(name);
            }
            if (number != null) {
                if (!value.isNumber()) {
                    return false;
                }
                int c = value.decimalValue().compareTo(number);
                return switch (operator) {
                    case "=" -> c == 0;
                    case "!=" -> c != 0;
                    case "<" -> c < 0;
                    case ">" -> c > 0;
                    case "<=" -> c <= 0;
                    default -> c >= 0;
                };
            }
            if (!value.isTextual()) {
                return false;
            }
            boolean equal = wildcard(text).matcher(value.asText()).matches();
            return operator.equals("=") == equal;
        }

        private static Pattern wildcard(String text) {
            StringBuilder regex = new StringBuilder();
            for (String part : text.split("\\*", -1)) {
                if (!regex.isEmpty()) {
                    regex.append(".*");
                }
                regex.append(Pattern.quote(part));
            }
            return Pattern.compile(regex.toString(), Pattern.DOTALL);
        }
    }

    private final String text;
    private final Node root;

    private FilterPattern(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** @throws IllegalArgumentException for a pattern outside the supported syntax */
    public static FilterPattern parse(String text) {
        List<String> tokens = tokens(text);
        Parser parser = new Parser(tokens, text);
        parser.expect("{");
        Node root = parser.or();
        parser.expect("}");
        if (parser.position != tokens.size()) {
            throw new IllegalArgumentException("unexpected " + tokens.get(parser.position) + " in " + text);
        }
        return new FilterPattern(text, root);
    }

    /** The pattern as FilterLogEvents takes it. */
    public String text() {
        return text;
    }

    /** Whether a log event's message matches: it must be a JSON object. */
    public boolean matches(String message) {
        JsonNode event = json(message);
        return event != null && root.matches(event);
    }

    /** The message as a JSON object, or null when it is not one. */
    static JsonNode json(String message) {
        String trimmed = message.strip();
        if (!trimmed.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(trimmed);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (text.substring(at).isBlank()) {
                break;
            }
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("cannot read the filter pattern at '" + text.substring(at).strip()
                        + "': " + text);
            }
            tokens.add(m.group(1));
            at = m.end();
        }
        return tokens;
    }

    /** or := and ('||' and)*; and := primary ('&&' primary)*; primary := '(' or ')' | selector operator value. */
    private static final class Parser {
        private final List<String> tokens;
        private final String text;
        private int position;

        Parser(List<String> tokens, String text) {
            this.tokens = tokens;
            this.text = text;
        }

        Node or() {
            return chain("||", this::and, Or::new);
        }

        Node and() {
            return chain("&&", this::primary, And::new);
        }

        /** operand (operator operand)*, joined from the left. */
        private Node chain(String operator, Supplier<Node> operand, BinaryOperator<Node> join) {
            Node node = operand.get();
            while (peek(operator)) {
                position++;
                node = join.apply(node, operand.get());
            }
            return node;
        }

        Node primary() {
            if (peek("(")) {
                position++;
                Node inner = or();
                expect(")");
                return inner;
            }
            String selector = next();
            if (!selector.startsWith("$.")) {
                throw new IllegalArgumentException("expected a selector such as $.level, got " + selector + " in " + text);
            }
            String operator = next();
            if (!List.of("=", "!=", "<", ">", "<=", ">=").contains(operator)) {
                throw new IllegalArgumentException("expected a comparison after " + selector + ", got " + operator
                        + " in " + text);
            }
            String value = next();
            List<String> path = List.of(selector.substring(2).split("\\."));
            if (value.startsWith("\"")) {
                if (!operator.equals("=") && !operator.equals("!=")) {
                    throw new IllegalArgumentException(operator + " compares numbers, not " + value + " in " + text);
                }
                String unquoted = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
                return new Comparison(path, operator, unquoted, null);
            }
            try {
                return new Comparison(path, operator, null, new BigDecimal(value));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a quoted string or a number, got " + value + " in " + text);
            }
        }

        boolean peek(String token) {
            return position < tokens.size() && tokens.get(position).equals(token);
        }

        String next() {
            if (position >= tokens.size()) {
                throw new IllegalArgumentException("the filter pattern ends too early: " + text);
            }
            return tokens.get(position++);
        }

        void expect(String token) {
            String found = next();
            if (!found.equals(token)) {
                throw new IllegalArgumentException("expected " + token + ", got " + found + " in " + text);
            }
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
