package org.cnlearn.db.report;

import org.cnlearn.db.connection.Secrets;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A failure told once, in words: the launcher's ERROR lines and the goals' (org.cnlearn.db.maven) come
 * from here. Liquibase wraps a failure in layers of its own exceptions, each repeating the text of the
 * one inside behind its class name; this keeps the most specific account and each further fact once,
 * without the class names. Only the text of the exceptions is read, so it works on exceptions of any
 * class loader (the goals' Maven side sees Liquibase's through the plugin's).
 */
public final class FailureReport {

    /** The project's own exceptions, whose message is written for a person (safety.FailedChangeset, say). */
    private static final String PROJECT_PACKAGE = "org.cnlearn.db.";
    /** "liquibase.exception.DatabaseException: " in front of the text of the exception it wraps. */
    private static final Pattern CLASS_NAME = Pattern.compile("(?:\\b[a-z][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ");
    /** Liquibase 4.33's words around a message it wraps, which add nothing the wrapped message does not say. */
    private static final Pattern LIQUIBASE_WRAPPER = Pattern.compile(
            "^(?:Migration failed for changeset [^\\n]*:\\n\\s*Reason: |Connection could not be created to \\S+ with driver \\S+\\s+"
                    + "|Error parsing \\S+ : )");

    /** PostgreSQL's severity in front of the server's message, as pgJDBC gives it. */
    private static final Pattern SEVERITY = Pattern.compile("^(?:ERROR|FATAL|PANIC): ");

    private FailureReport() {
    }

    /**
     * The failure's lines: the first says what went wrong, the others (indented) add what its causes
     * say that it does not. With {@code stackTrace}, the whole stack trace follows, for -e, -X or --log-level=fine.
     */
    public static List<String> lines(Throwable failure, boolean stackTrace) {
        List<String> lines = new ArrayList<>();
        String said = "";
        Throwable first = mostSpecific(failure);
        // the project's own account is whole: its causes, the server's exception say, only repeat it
        Throwable last = first.getClass().getName().startsWith(PROJECT_PACKAGE) ? first.getCause() : null;
        for (Throwable t = first; t != null && t != last; t = t.getCause()) {
            String message = folded(readable(t.getMessage()));
            if (message.isBlank() || said.contains(message)) {
                continue;
            }
            said += message + "\n";
            for (String line : message.split("\n")) {
                lines.add(lines.isEmpty() ? line : "  " + line);
            }
        }
        if (lines.isEmpty()) {
            lines.add(failure.getClass().getSimpleName() + ", without a message");
        }
        if (stackTrace) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            lines.addAll(trace.toString().stripTrailing().lines().toList());
        }
        // a message of the driver's or of Liquibase's may say back a password it was given
        return lines.stream().map(Secrets::mask).toList();
    }

    /** Where the account starts: the outermost of the project's own exceptions, else the failure itself. */
    private static Throwable mostSpecific(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getName().startsWith(PROJECT_PACKAGE)) {
                return t;
            }
        }
        return failure;
    }

    /**
     * Liquibase's "Validation Failed:" lists what failed on the lines below it, so the first line (and
     * Maven's closing block, which repeats it) said nothing: folded into one line, which says that
     * nothing ran ("Validation Failed: 1 changesets had duplicate identifiers: a.yaml::x::me. …").
     */
    private static String folded(String message) {
        if (!message.startsWith(VALIDATION_FAILED) || message.lines().count() < 2) {
            return message;
        }
        List<String> sections = new ArrayList<>();
        String heading = null;
        List<String> items = new ArrayList<>();
        for (String line : message.lines().skip(1).toList()) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith(ITEM_INDENT)) {
                items.add(line.strip());
                continue;
            }
            section(sections, heading, items);
            heading = line.strip();
            items = new ArrayList<>();
        }
        section(sections, heading, items);
        return VALIDATION_FAILED + " " + String.join("; ", sections) + ". Nothing was changed: a changelog is validated before any"
                + " changeset runs.";
    }

    private static void section(List<String> sections, String heading, List<String> items) {
        String listed = String.join(", ", items);
        if (heading == null) {
            if (!items.isEmpty()) {
                sections.add(listed);
            }
        } else {
            String said = heading.replaceAll("[:.]$", "");
            sections.add(items.isEmpty() ? said : said + ": " + listed);
        }
    }

    private static final String VALIDATION_FAILED = "Validation Failed:";
    /** How deep Liquibase indents each changeset under a heading of its validation message. */
    private static final String ITEM_INDENT = "          ";

    /** What the server said of a statement it refused: its first line, without its severity ("ERROR: "). */
    /**
     * What went wrong on a scratch database, in one line: without what a failure on a real one adds (what
     * it holds now, what to do there).
     */
    public static String reason(Throwable failure) {
        return String.join(" ", lines(failure, false).stream().map(String::strip)
                .filter(line -> !line.startsWith("State:") && !line.startsWith("Next:")).toList());
    }

    public static String serverReason(java.sql.SQLException refused) {
        return refused.getMessage() == null ? refused.toString()
                : SEVERITY.matcher(refused.getMessage().lines().findFirst().orElse("").strip()).replaceFirst("");
    }

    /** The message without the class names and wrapper words in front of it. */
    public static String readable(String message) {
        if (message == null) {
            return "";
        }
        String text = message.strip();
        String before;
        do {
            before = text;
            text = CLASS_NAME.matcher(text).replaceAll("");
            text = LIQUIBASE_WRAPPER.matcher(text).replaceFirst("").strip();
            // the server's severity, which pgJDBC puts in front of its words: "ERROR: ERROR: permission denied" after ours
            text = SEVERITY.matcher(text).replaceFirst("");
        } while (!text.equals(before));
        return text;
    }
}
