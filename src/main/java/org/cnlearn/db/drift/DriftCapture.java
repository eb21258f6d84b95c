package org.cnlearn.db.drift;

import org.cnlearn.db.catalog.CatalogChecks;
import org.cnlearn.db.catalog.CatalogDdl;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.CatalogObject.Kind;
import org.cnlearn.db.catalog.Difference;
import org.cnlearn.db.lint.Rule;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drift written down as a YAML changelog: one changeset per difference, each with a comment that
 * says it was captured, the statements that make the changelog build what the database has, an
 * explicit rollback, and a precondition that records it as applied (MARK_RAN) where the database
 * already is that way, as the one it was captured from is. The SQL is PostgreSQL's own (its
 * deparsers'), one statement per change.
 */
final class DriftCapture {

    /** Why a captured changeset may break the lock-safety rules: where it was captured, it runs nothing. */
    static final String WAIVER_REASON = "captured from drift: its objects already exist where it was captured, and the"
            + " precondition records it there without running it";

    private DriftCapture() {
    }

    /** One thing a changeset does: a SQL statement, or Liquibase's dropTable / dropColumn (which the data-loss guard checks). */
    private record Action(String sql, CatalogObject dropped) {
        static Action sql(String sql) {
            return new Action(sql, null);
        }
    }

    private record Step(Difference difference, List<Action> changes, List<Action> rollback, String check, int runWhen) {
    }

    /** The changelog's text; the id of each changeset is the file's name, then -1, -2… when there are several. */
    static String write(List<Difference> differences, String fileStem, String author, Map<String, Set<Rule>> lintWaivers) {
        List<Step> steps = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        // drops first (what depends on something goes before it), then creations and changes (in dependency order)
        List<Difference> ordered = new ArrayList<>(differences);
        ordered.sort(Comparator.comparing((Difference d) -> d.target() != null)
                .thenComparing(d -> d.target() == null ? -CatalogDdl.rank(d.kind()) : CatalogDdl.rank(d.kind())));
        for (Difference difference : ordered) {
            try {
                steps.add(step(difference));
            } catch (UnsupportedOperationException e) {
                refused.add(difference.line() + " (" + e.getMessage() + ")");
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("These differences cannot be captured automatically; write their changesets by hand: "
                    + String.join("; ", refused));
        }
        StringBuilder yaml = new StringBuilder();
        yaml.append("# Captured from drift on ").append(LocalDate.now()).append(" by ./mvnw liquibase:diff -Dliquibase.diffChangeLogFile:\n")
                .append("# what the database had that its changelog did not build. Include it in the master changelog.\n")
                .append("databaseChangeLog:\n");
        int n = 0;
        for (Step step : steps) {
            n++;
            String id = steps.size() == 1 ? fileStem : fileStem + "-" + n;
            yaml.append("  - changeSet:\n");
            yaml.append("      id: ").append(quoted(id)).append('\n');
            yaml.append("      author: ").append(quoted(author)).append('\n');
            StringBuilder comment = new StringBuilder("Captured from drift: " + step.difference().line() + ".");
            for (Rule rule : lintWaivers.getOrDefault(id, Set.of())) {
                // the lock-safety lint's waiver form (docs/lint.md)
                comment.append(" lint-waiver(").append(rule.id).append("): ").append(WAIVER_REASON).append('.');
            }
            yaml.append("      comment: ").append(quoted(comment.toString())).append('\n');
            yaml.append("      preConditions:\n");
            yaml.append("        - onFail: MARK_RAN\n");
            yaml.append("        - onFailMessage: ").append(quoted(step.runWhen() == 0
                    ? "Already there (captured from this database): recorded as applied."
                    : "Already gone (captured from this database): recorded as applied.")).append('\n');
            yaml.append("        - sqlCheck:\n");
            yaml.append("            expectedResult: ").append(step.runWhen()).append('\n');
            yaml.append("            sql: ").append(block(step.check(), 14));
            yaml.append("      changes:\n");
            actions(yaml, step.changes());
            yaml.append("      rollback:\n");
            actions(yaml, step.rollback());
        }
        return yaml.toString();
    }

    private static void actions(StringBuilder yaml, List<Action> actions) {
        for (Action action : actions) {
            if (action.dropped() != null) {
                CatalogObject o = action.dropped();
                boolean table = o.kind() == Kind.TABLE;
                yaml.append("        - ").append(table ? "dropTable" : "dropColumn").append(":\n");
                yaml.append("            schemaName: ").append(quoted(CatalogObject.unquote(o.schema()))).append('\n');
                yaml.append("            tableName: ").append(quoted(CatalogObject.unquote(o.table()))).append('\n');
                if (!table) {
                    yaml.append("            columnName: ").append(quoted(CatalogObject.unquote(o.name()))).append('\n');
                }
            } else {
                yaml.append("        - sql:\n");
                yaml.append("            splitStatements: false\n");
                yaml.append("            sql: ").append(block(action.sql(), 14));
            }
        }
    }

    private static Step step(Difference d) {
        CatalogObject built = d.from();
        CatalogObject found = d.target();
        if (built == null) {
            return new Step(d, create(found, d.parts()), drop(found), CatalogChecks.exists(found), 0);
        }
        if (found == null) {
            return new Step(d, drop(built), create(built, d.parts()), CatalogChecks.exists(built), 1);
        }
        return new Step(d, alter(built, found), alter(found, built), CatalogChecks.matches(found), 0);
    }

    private static List<Action> create(CatalogObject o, List<CatalogObject> parts) {
        return CatalogDdl.create(o, parts).stream().map(Action::sql).toList();
    }

    private static List<Action> drop(CatalogObject o) {
        // a table or a column is dropped by Liquibase's change, whose rows the data-loss guard counts
        return List.of(o.kind() == Kind.TABLE || o.kind() == Kind.COLUMN ? new Action(null, o) : Action.sql(CatalogDdl.drop(o)));
    }

    /** The statements that turn {@code from} into {@code to} (same kind and name). */
    private static List<Action> alter(CatalogObject from, CatalogObject to) {
        return CatalogDdl.alter(from, to).stream().map(Action::sql).toList();
    }

    /** A double-quoted YAML scalar. */
    static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** A literal block scalar, indented, ending in a newline. */
    private static String block(String text, int indent) {
        String pad = " ".repeat(indent);
        StringBuilder out = new StringBuilder("|-\n");
        for (String line : text.strip().split("\n", -1)) {
            out.append(line.isEmpty() ? "" : pad + line.replaceAll("\\s+$", "")).append('\n');
        }
        return out.toString();
    }
}
