package org.cnlearn.db.authoring;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * YAML as this project's changelog files write it, for a person to review: two spaces, a list's
 * dash indented under its key, plain scalars where they read the same, double quotes where YAML would
 * read them otherwise, and SQL of several lines as a literal block.
 */
final class Yaml {

    /** A plain scalar YAML reads back as this same string. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_(][A-Za-z0-9_ ,.()/\"'=<>*+-]*");
    private static final Pattern NOT_A_STRING = Pattern.compile(
            "(?i)(y|n|yes|no|true|false|on|off|null|~|[-+]?[0-9][0-9_.:eE+-]*|\\.inf|\\.nan)");

    private Yaml() {
    }

    /** A node, a Map (its keys in order), a List or a scalar (String, Boolean, Number), from a new line at this indent. */
    static void write(StringBuilder out, Object node, int indent) {
        if (node instanceof Map<?, ?> map) {
            map(out, map, indent, false);
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                out.append(" ".repeat(indent)).append("- ");
                if (item instanceof Map<?, ?> map) {
                    map(out, map, indent + 2, true);
                } else {
                    value(out, item, indent + 2);
                }
            }
        } else {
            out.append(" ".repeat(indent));
            value(out, node, indent);
        }
    }

    /** A map's entries; after a list's dash, the first one goes on the dash's line. */
    private static void map(StringBuilder out, Map<?, ?> map, int indent, boolean afterDash) {
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(first && afterDash)) {
                out.append(" ".repeat(indent));
            }
            first = false;
            out.append(entry.getKey()).append(':');
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> || value instanceof List<?> list && !list.isEmpty()) {
                out.append('\n');
                write(out, value, indent + 2);
            } else {
                out.append(' ');
                value(out, value, indent + 2);
            }
        }
    }

    private static void value(StringBuilder out, Object value, int indent) {
        String text = scalar(value, indent);
        out.append(text);
        if (!text.endsWith("\n")) {
            out.append('\n');
        }
    }

    /** A scalar: plain when that reads back the same, else double-quoted; several lines as a literal block. */
    static String scalar(Object value, int indent) {
        if (value instanceof List<?> list && list.isEmpty()) {
            return "[]";
        }
        if (!(value instanceof String text)) {
            return String.valueOf(value);
        }
        if (text.contains("\n")) {
            StringBuilder block = new StringBuilder("|-\n");
            for (String line : text.strip().split("\n", -1)) {
                block.append(line.isBlank() ? "" : " ".repeat(indent) + line.stripTrailing()).append('\n');
            }
            return block.toString();
        }
        if (PLAIN.matcher(text).matches() && !NOT_A_STRING.matcher(text).matches() && !text.endsWith(" ")
                && !text.contains(": ") && !text.contains(" #")) {
            return text;
        }
        return quoted(text);
    }

    /** A double-quoted scalar. */
    static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t").replace("\n", "\\n") + "\"";
    }
}
