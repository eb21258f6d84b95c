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
            String message = readable(t.getMessage());
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
        } while (!text.equals(before));
        return text;
    }
}
