package org.cnlearn.db.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One way two schemas differ, as Migra names the sides: {@code from} is the object in the schema compared
 * from (what the changelog builds), {@code target} in the one compared with it (the live database, for
 * drift; the schema an author wants, for cnlearn:revision and cnlearn:check); either is null when that side
 * has no such object. A table that only one side has carries its columns, constraints, indexes and
 * triggers as {@code parts}: they are one difference, not many.
 */
public record Difference(CatalogObject from, CatalogObject target, List<CatalogObject> parts) {

    public CatalogObject either() {
        return target != null ? target : from;
    }

    public CatalogObject.Kind kind() {
        return either().kind();
    }

    public String qualifiedName() {
        return either().qualifiedName();
    }

    /** One line a person reads: kind, name, what the changelog builds, what the database has. */
    public String line() {
        return line("the changelog builds", "the database has");
    }

    /** The same, with other words for the two sides ("the changelog builds", "model.sql has"). */
    public String line(String fromSide, String targetSide) {
        String fromText = from == null ? "none" : summary(from, target);
        String targetText = target == null ? "none" : summary(target, from);
        return kind().words + " " + qualifiedName() + ": " + fromSide + " " + fromText + "; " + targetSide + " " + targetText;
    }

    /** The definition on one line; a long one shortened around where it differs from the other side. */
    private String summary(CatalogObject object, CatalogObject other) {
        String text = oneLine(object.definition());
        if (object.kind() == CatalogObject.Kind.TABLE && !parts.isEmpty()) {
            // "a table with 2 columns, 1 primary key"
            Map<String, Long> counts = new LinkedHashMap<>();
            parts.forEach(p -> counts.merge(p.kind().words, 1L, Long::sum));
            List<String> words = new ArrayList<>();
            counts.forEach((kind, n) -> words.add(n + " " + (n == 1 ? kind : kind.endsWith("x") ? kind.replaceFirst("x$", "xes") : kind + "s")));
            return "a " + text + " with " + String.join(", ", words);
        }
        int limit = 140;
        if (text.length() <= limit) {
            return text;
        }
        int from = 0;
        if (other != null) {
            String otherText = oneLine(other.definition());
            while (from < text.length() && from < otherText.length() && text.charAt(from) == otherText.charAt(from)) {
                from++;
            }
            from = Math.max(0, from - 40);
        }
        int to = Math.min(text.length(), from + limit);
        return (from > 0 ? "…" : "") + text.substring(from, to) + (to < text.length() ? "…" : "");
    }

    static String oneLine(String text) {
        return text.strip().replaceAll("\\s+", " ").replaceFirst(";$", "");
    }
}
