package org.cnlearn.db.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One way the database differs from what its changelog builds. {@code built} is the object as the
 * changelog builds it, {@code found} as the database has it; either is null when that side has no
 * such object. A table that only one side has carries its columns, constraints, indexes and
 * triggers as {@code parts}: they are one difference, not many.
 */
public record Difference(CatalogObject built, CatalogObject found, List<CatalogObject> parts) {

    public CatalogObject either() {
        return found != null ? found : built;
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
    public String line(String builtSide, String foundSide) {
        String builtText = built == null ? "none" : summary(built, found);
        String foundText = found == null ? "none" : summary(found, built);
        return kind().words + " " + qualifiedName() + ": " + builtSide + " " + builtText + "; " + foundSide + " " + foundText;
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
