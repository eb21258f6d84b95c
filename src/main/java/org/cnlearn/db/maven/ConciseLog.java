package org.cnlearn.db.maven;

import org.apache.maven.plugin.logging.Log;
import org.cnlearn.db.connection.Secrets;
import org.cnlearn.db.report.FailureReport;
import org.cnlearn.db.report.SupersededLines;
import org.slf4j.Logger;

import java.util.List;

/**
 * A Liquibase goal's log at Maven's default verbosity: what the run changes and reads out, without
 * Liquibase's bookkeeping lines, the plugin's placeholder URL (the driver's "[cnlearn-db] database:"
 * line names the database), or a stack trace; the failure itself is reported once, when the goal
 * ends ({@link ConciseGoals}). The lines left out are Liquibase 4.33's exact texts. With -e or -X, it
 * shows everything, stack traces included, but the placeholder URL.
 */
final class ConciseLog implements Log {

    /** The plugin's line naming the database by the pom's placeholder URL; the driver's names the real one. */
    private static final String PLACEHOLDER_LINE = "Executing on Database: ";

    /** How the lines of Liquibase 4.33 and its plugin about their own workings begin. */
    private static final List<String> BOOKKEEPING_PREFIXES = List.of(
            "------------------------------------------------------------------------",
            "Parsing Liquibase Properties File",
            "  File: ",
            "Set default schema name to ",
            PLACEHOLDER_LINE,
            "Reading from ",
            "Using deploymentId: ",
            "Update summary generated",
            "Logging exception.",
            "ERROR: Exception Details",
            "ERROR: Exception Primary ",
            "Command execution complete",
            "Change failed validation!",
            "Update command completed successfully.", // "Liquibase: Update has been successful." follows
            "Creating snapshot",
            "Performing Diff on database "); // the "[cnlearn-db] database:" line named it

    /** The update summary's lines, which a failed run's report makes redundant. */
    private static final List<String> SUMMARY_PREFIXES = List.of("UPDATE SUMMARY", "Run:  ", "Previously run:  ",
            "Filtered out:  ", "-------------------------------", "Total change sets:  ");

    /** The logger Maven gives the goal's own log (its Mojo class's): the same prefixes, levels and colours. */
    private final Logger maven;
    /** -e or -X: everything is shown but the placeholder URL. */
    private final boolean verbose;
    /** Once the run failed: its report (when the goal ends) says what the update summary would. */
    private boolean failed;
    /** The last line shown: Liquibase says some twice in a row ("No validation errors found."). */
    private String previous;

    /** The goal whose log this is (help's is told in brief). */
    private final String goal;

    ConciseLog(Logger maven, boolean verbose, String goal) {
        this.maven = maven;
        this.verbose = verbose;
        this.goal = goal;
    }

    /**
     * liquibase:help's text: every goal with its description, some 170 lines. At the default verbosity,
     * the goals' names instead, the paid ones apart; one goal's help (-Dgoal=NAME) is shown as it is.
     */
    private static String briefHelp(String text) {
        List<String> goals = text.lines().filter(line -> line.startsWith("liquibase:")).map(line -> line.substring(10).strip()).toList();
        if (goals.size() < 2) {
            return text;
        }
        List<String> open = goals.stream().filter(name -> !ProGoals.INSTEAD.containsKey(name)).toList();
        List<String> pro = goals.stream().filter(ProGoals.INSTEAD::containsKey).toList();
        StringBuilder brief = new StringBuilder(text.lines().findFirst().orElse("liquibase-maven-plugin") + ": " + goals.size()
                + " goals; one goal's parameters: ./mvnw liquibase:help -Ddetail=true -Dgoal=NAME (docs/goals.md).");
        brief.append(wrapped("Open source (" + open.size() + "): ", open));
        brief.append(wrapped("Liquibase Pro only, refused here with what to use instead (" + pro.size() + "): ", pro));
        return brief.toString();
    }

    private static String wrapped(String heading, List<String> names) {
        StringBuilder text = new StringBuilder("\n  " + heading);
        int width = text.length();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i) + (i + 1 < names.size() ? "," : "");
            if (i > 0 && width + 1 + name.length() > 110) {
                text.append("\n    ");
                width = 4;
            } else if (i > 0) {
                text.append(' ');
                width++;
            }
            text.append(name);
            width += name.length();
        }
        return text.toString();
    }

    /** A line as it may be shown: no password a message says back (org.cnlearn.db.connection.Secrets). */
    private static String text(CharSequence content) {
        return Secrets.mask(String.valueOf(content));
    }

    /** A failure as -e and -X may show it: its messages, and its causes', without a password. */
    private static Throwable masked(Throwable error) {
        return error == null ? null : Secrets.mask(error);
    }

    private boolean bookkeeping(CharSequence content) {
        String line = text(content);
        if (verbose) {
            return line.startsWith(PLACEHOLDER_LINE);
        }
        // "ChangeSet … encountered an exception.", "Update command encountered an exception.": the report says it
        return line.isBlank() || line.endsWith(" encountered an exception.") || BOOKKEEPING_PREFIXES.stream().anyMatch(line::startsWith);
    }

    @Override
    public boolean isDebugEnabled() {
        return maven.isDebugEnabled();
    }

    @Override
    public void debug(CharSequence content) {
        maven.debug(text(content));
    }

    @Override
    public void debug(CharSequence content, Throwable error) {
        maven.debug(text(content), masked(error));
    }

    @Override
    public void debug(Throwable error) {
        maven.debug("", masked(error));
    }

    @Override
    public boolean isInfoEnabled() {
        return maven.isInfoEnabled();
    }

    @Override
    public void info(CharSequence content) {
        String line = !verbose && "help".equals(goal) ? briefHelp(text(content)) : text(content);
        if (line.contains(" failed, but failOnError was false.")) {
            failed = false; // the changeset may fail (failOnError: false): the run goes on, and its summary counts
        }
        if (SupersededLines.takeIfSuperseded(line)) {
            return; // an adopted changeset's "Table user created": the adoption was said instead
        }
        if (!bookkeeping(line) && !(failed && SUMMARY_PREFIXES.stream().anyMatch(line::startsWith))
                && (verbose || !line.equals(previous))) {
            previous = line;
            maven.info(line);
        }
    }

    @Override
    public void info(CharSequence content, Throwable error) {
        if (verbose) {
            maven.info(text(content), masked(error));
        } else {
            info(content);
        }
    }

    @Override
    public void info(Throwable error) {
        if (verbose) {
            maven.info("", masked(error));
        }
    }

    @Override
    public boolean isWarnEnabled() {
        return maven.isWarnEnabled();
    }

    @Override
    public void warn(CharSequence content) {
        maven.warn(text(content));
    }

    @Override
    public void warn(CharSequence content, Throwable error) {
        if (verbose) {
            maven.warn(text(content), masked(error));
            return;
        }
        maven.warn(error == null ? text(content)
                : content + ": " + FailureReport.lines(error, false).get(0));
    }

    @Override
    public void warn(Throwable error) {
        warn("", error);
    }

    @Override
    public boolean isErrorEnabled() {
        return maven.isErrorEnabled();
    }

    @Override
    public void error(CharSequence content) {
        if (!bookkeeping(content)) {
            maven.error(text(content));
        }
    }

    /** Liquibase logs a failure with its exception as it happens; it is reported once, when the goal ends. */
    @Override
    public void error(CharSequence content, Throwable error) {
        failed |= error != null;
        if (verbose) {
            maven.error(text(content), masked(error));
        } else {
            error(content);
        }
    }

    @Override
    public void error(Throwable error) {
        if (verbose) {
            maven.error("", masked(error));
        }
    }
}
