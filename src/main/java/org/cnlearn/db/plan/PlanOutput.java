package org.cnlearn.db.plan;

import com.fasterxml.jackson.core.JsonGenerator;
import org.cnlearn.db.plan.StatementTracer.Lock;
import org.cnlearn.db.plan.TargetSizes.Size;
import org.cnlearn.db.report.JsonDocument;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The plan as a person reads it (text), as a pull request shows it (Markdown) and as a pipeline reads it (JSON, docs/ci.md). */
public final class PlanOutput {

    private PlanOutput() {
    }

    static List<String> text(PlanReport plan) {
        List<String> lines = new ArrayList<>(heading(plan));
        for (PlanReport.Changeset changeset : plan.changesets()) {
            lines.add("changeset " + changeset.id() + " (" + changeset.file() + ")");
            for (PlanReport.Statement statement : changeset.statements()) {
                lines.add("  " + oneLine(statement.sql()) + (statement.inTransaction() ? "" : "   [outside a transaction]"));
                lines.add("    locks:    " + (statement.locks().isEmpty() ? "none on a table there before it" : locks(statement, statement.targetSizes())));
                lines.add("    rewrites: " + listed(statement.rewrites()));
                lines.add("    scans:    " + listed(statement.scans()));
                if (statement.risk() != null) {
                    lines.add("    RISKY: " + statement.risk() + ".");
                }
            }
            changeset.lint().forEach(finding -> lines.add("  lint: " + finding));
            if (changeset.failure() != null) {
                lines.add("  FAILS on the copy: " + changeset.failure());
            }
        }
        lines.add(verdict(plan));
        return lines;
    }

    static String markdown(PlanReport plan) {
        StringBuilder md = new StringBuilder();
        md.append("### cnlearn-db plan: ").append(verdict(plan)).append("\n\n");
        heading(plan).forEach(line -> md.append(line).append("\n"));
        if (!plan.changesets().isEmpty()) {
            md.append("\n| changeset | statement | locks | rewrites | scans | rows on the target | risk |\n");
            md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        }
        for (PlanReport.Changeset changeset : plan.changesets()) {
            for (PlanReport.Statement statement : changeset.statements()) {
                md.append("| `").append(cell(changeset.id())).append("` | `").append(cell(oneLine(statement.sql()))).append("` | ")
                        .append(cell(statement.locks().stream().map(l -> l.mode() + " on " + l.relation()).collect(Collectors.joining(", "))))
                        .append(" | ").append(cell(String.join(", ", statement.rewrites())))
                        .append(" | ").append(cell(String.join(", ", statement.scans())))
                        .append(" | ").append(cell(statement.targetSizes().entrySet().stream()
                                .map(e -> e.getKey() + ": " + rows(e.getValue())).collect(Collectors.joining(", "))))
                        .append(" | ").append(statement.risk() == null ? "" : "**risky**: " + cell(statement.risk())).append(" |\n");
            }
        }
        for (PlanReport.Changeset changeset : plan.changesets()) {
            changeset.lint().forEach(finding -> md.append("\n- lint: ").append(finding));
            if (changeset.failure() != null) {
                md.append("\n- **").append(changeset.id()).append(" fails on the copy**: ").append(changeset.failure());
            }
        }
        return md.append("\n").toString();
    }

    static String json(PlanReport plan) {
        return JsonDocument.of("plan", json -> {
            json.writeObjectFieldStart("target");
            json.writeStringField("database", plan.target());
            json.writeStringField("server_version", plan.targetVersion());
            json.writeEndObject();
            json.writeStringField("copy_server_version", plan.copyVersion());
            json.writeNumberField("risky_rows", plan.riskyRows());
            JsonDocument.strings(json, "drift", plan.drift());
            json.writeNumberField("statements", plan.statements());
            json.writeNumberField("risky", plan.risky());
            json.writeArrayFieldStart("changesets");
            for (PlanReport.Changeset changeset : plan.changesets()) {
                json.writeStartObject();
                json.writeStringField("id", changeset.id());
                json.writeStringField("author", changeset.author());
                json.writeStringField("file", changeset.file());
                json.writeStringField("failure", changeset.failure());
                JsonDocument.strings(json, "lint", changeset.lint());
                json.writeArrayFieldStart("statements");
                for (PlanReport.Statement statement : changeset.statements()) {
                    statement(json, statement);
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    private static void statement(JsonGenerator json, PlanReport.Statement statement) throws IOException {
        json.writeStartObject();
        json.writeStringField("sql", statement.sql());
        json.writeBooleanField("in_transaction", statement.inTransaction());
        json.writeArrayFieldStart("locks");
        for (Lock lock : statement.locks()) {
            json.writeStartObject();
            json.writeStringField("relation", lock.relation());
            json.writeStringField("mode", lock.mode());
            json.writeBooleanField("blocks_writes", PlanReport.BLOCKS_WRITES.contains(lock.mode()));
            json.writeEndObject();
        }
        json.writeEndArray();
        JsonDocument.strings(json, "rewrites", statement.rewrites());
        JsonDocument.strings(json, "scans", statement.scans());
        json.writeObjectFieldStart("target_rows");
        for (Map.Entry<String, Size> size : statement.targetSizes().entrySet()) {
            json.writeNumberField(size.getKey(), size.getValue().rows());
        }
        json.writeEndObject();
        json.writeObjectFieldStart("target_bytes");
        for (Map.Entry<String, Size> size : statement.targetSizes().entrySet()) {
            json.writeNumberField(size.getKey(), size.getValue().bytes());
        }
        json.writeEndObject();
        json.writeBooleanField("risky", statement.risk() != null);
        json.writeStringField("risk", statement.risk());
        json.writeEndObject();
    }

    private static List<String> heading(PlanReport plan) {
        List<String> lines = new ArrayList<>();
        int pending = plan.changesets().size();
        lines.add("Plan: " + (pending == 0 ? "nothing is pending" : pending + (pending == 1 ? " pending changeset" : " pending changesets"))
                + ", run on a copy of the target's schema without its rows (on PostgreSQL " + plan.copyVersion()
                + ", dropped after), sized by the target's own estimates.");
        lines.add("Risky: a statement that holds a lock blocking writes while it rewrites or scans a table of "
                + String.format("%,d", plan.riskyRows()) + " rows or more (-D" + Plan.RISKY_ROWS_PROPERTY + ", the launcher's --risky-rows).");
        if (!plan.drift().isEmpty()) {
            lines.add("The target is not what its applied changesets build, so the copy differs from it (./mvnw liquibase:diff):");
            plan.drift().stream().skip(1).forEach(line -> lines.add("  " + line.strip()));
        }
        return lines;
    }

    private static String verdict(PlanReport plan) {
        int statements = plan.statements();
        int risky = plan.risky();
        String verdict = plan.changesets().isEmpty() ? "nothing is pending" : statements == 0 ? "no statement to run" : risky + " of " + statements + (statements == 1 ? " statement" : " statements")
                + (risky == 1 ? " is" : " are") + " risky";
        PlanReport.Changeset failed = plan.failed();
        return failed == null ? verdict + "." : verdict + "; changeset " + failed.id() + " fails on the copy, so the plan stops there.";
    }

    private static String locks(PlanReport.Statement statement, Map<String, Size> sizes) {
        return statement.locks().stream().map(lock -> lock.mode() + " on " + lock.relation()
                + (sizes.containsKey(lock.relation()) ? " (" + rows(sizes.get(lock.relation())) + ")" : "")).collect(Collectors.joining(", "));
    }

    private static String rows(Size size) {
        return size.rows() < 0 ? "rows unknown, never analyzed" : "about " + String.format("%,d", size.rows()) + " rows";
    }

    private static String listed(List<String> tables) {
        return tables.isEmpty() ? "none" : String.join(", ", tables);
    }

    private static String oneLine(String sql) {
        return sql.strip().replaceAll("\\s+", " ");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("`", "'");
    }
}
