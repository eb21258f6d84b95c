package org.cnlearn.db.launcher;

import org.cnlearn.db.settings.SettingValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of bin/cnlearn-db, under Liquibase's own CLI names: a command, and options written
 * {@code --name=value} or {@code --name value}, before or after it. Anything it does not know is a
 * usage error, never ignored.
 */
record Arguments(String command, Map<String, String> options) {

    /** The commands, each with the options it takes besides the connection's. */
    static final Map<String, Set<String>> COMMANDS = commands();

    /** The commands that change the database: refused a read-only one (a standby) before they start. */
    static final Set<String> WRITING = Set.of("update", "changelog-sync", "rollback-count", "rollback", "tag", "startup-cache");

    /** Options every command takes. */
    static final Set<String> COMMON = Set.of("url", "username", "password", "lock-timeout", "lock-wait-seconds", "log-level");

    /** Options that take no value. */
    private static final Set<String> FLAGS = Set.of("allow-data-loss", "verbose", "help", "version");

    private static Map<String, Set<String>> commands() {
        Map<String, Set<String>> commands = new LinkedHashMap<>();
        commands.put("update", Set.of("allow-data-loss", "label-filter", "format"));
        commands.put("changelog-sync", Set.of());
        commands.put("update-sql", Set.of("output-file", "label-filter"));
        commands.put("status", Set.of("verbose", "label-filter", "format"));
        commands.put("history", Set.of("format"));
        commands.put("rollback-count", Set.of("count", "allow-data-loss", "label-filter", "format"));
        commands.put("rollback", Set.of("tag", "allow-data-loss", "label-filter", "format"));
        commands.put("tag", Set.of("tag"));
        commands.put("validate", Set.of("format"));
        commands.put("plan", Set.of("scratch-url", "format", "risky-rows"));
        commands.put("startup-cache", Set.of());
        return commands;
    }

    /** A report as data (--format=json, or plan's markdown): standard output holds the document alone, and every message goes to standard error. */
    boolean data() {
        return has("format") && !get("format").strip().equalsIgnoreCase("text");
    }

    static Arguments parse(List<String> words) throws UsageException {
        String command = null;
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("-h")) {
                word = "--help";
            }
            if (!word.startsWith("--")) {
                if (word.startsWith("-") && word.length() > 1) {
                    throw new UsageException("'" + word + "' is not an option of cnlearn-db: options are written --name or --name=VALUE.");
                }
                if (command != null) {
                    throw new UsageException("one command at a time: '" + command + "' and '" + word + "' were given.");
                }
                command = word;
                continue;
            }
            String name = word.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (!known(name)) {
                throw new UsageException("--" + name + " is not an option of cnlearn-db.");
            }
            if (FLAGS.contains(name) && value != null) {
                throw new UsageException("--" + name + " takes no value: give it as --" + name + " alone; it was given '" + value + "'.");
            }
            if (equals < 0 && !FLAGS.contains(name)) {
                if (i + 1 >= words.size() || words.get(i + 1).startsWith("--")) {
                    throw new UsageException("--" + name + " needs a value: --" + name + "=VALUE.");
                }
                value = words.get(++i);
            }
            if (options.containsKey(name)) {
                throw new UsageException("--" + name + " is given twice.");
            }
            options.put(name, value);
        }
        Arguments arguments = new Arguments(command, options);
        if (!arguments.has("help") && !arguments.has("version")) {
            arguments.check();
        }
        return arguments;
    }

    private void check() throws UsageException {
        if (command == null) {
            throw new UsageException("no command given.");
        }
        if (command.equals("diff") || command.equals("diff-changelog")) {
            throw new UsageException(command + " is not in the deploy artifact: drift detection builds a reference database on an"
                    + " embedded PostgreSQL, which the artifact does not ship. Run ./mvnw liquibase:diff from a checkout"
                    + " (docs/drift.md).");
        }
        Set<String> own = COMMANDS.get(command);
        if (own == null) {
            throw new UsageException("'" + command + "' is not a command of cnlearn-db.");
        }
        for (String name : options.keySet()) {
            if (name.equals("changelog-file")) {
                throw new UsageException("--changelog-file: the changelog is built into this distribution (lib/db-changelog/),"
                        + " so every run applies the same changesets as the goals.");
            }
            if (!COMMON.contains(name) && !own.contains(name)) {
                boolean known = COMMON.contains(name) || COMMANDS.values().stream().anyMatch(o -> o.contains(name));
                throw new UsageException("--" + name + (known ? " is not an option of " + command + "." : " is not an option of cnlearn-db."));
            }
        }
        if ((command.equals("rollback") || command.equals("tag")) && blank("tag")) {
            throw new UsageException(command + " needs --tag=TAG.");
        }
        if (command.equals("rollback-count")) {
            count();
        }
        try {
            if (has("format")) {
                SettingValue.oneOf("--format", get("format"), command.equals("plan") ? java.util.List.of("text", "json", "markdown")
                        : java.util.List.of("text", "json"));
            }
            if (has("risky-rows")) {
                SettingValue.rows("--risky-rows", get("risky-rows"));
            }
        } catch (SettingValue.Refused e) {
            throw new UsageException(e.getMessage());
        }
        if (command.equals("plan") && blank("scratch-url")) {
            throw new UsageException("plan needs --scratch-url=URL: a PostgreSQL server of the target's major on which its role may"
                    + " create databases, where the plan copies the schema and drops the copy after (this distribution ships no PostgreSQL).");
        }
        if (has("label-filter") && blank("label-filter")) {
            // an empty filter would run every changeset, the contract phase included
            throw new UsageException("--label-filter needs the labels of the changesets to run: --label-filter=expand, say.");
        }
        try {
            if (has("lock-wait-seconds")) {
                SettingValue.seconds("--lock-wait-seconds", get("lock-wait-seconds"));
            }
            if (has("lock-timeout")) {
                SettingValue.duration("--lock-timeout", get("lock-timeout"));
            }
        } catch (SettingValue.Refused e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** An option of some command, or of all: anything else is refused at once, not read as one that takes a value. */
    private static boolean known(String name) {
        return COMMON.contains(name) || FLAGS.contains(name) || name.equals("changelog-file")
                || COMMANDS.values().stream().anyMatch(own -> own.contains(name));
    }

    /** rollback-count's --count: a whole number of changesets, 1 or more. */
    int count() throws UsageException {
        if (blank("count")) {
            throw new UsageException("rollback-count needs --count=N, the number of changesets to roll back.");
        }
        try {
            return SettingValue.count("--count", get("count"));
        } catch (SettingValue.Refused e) {
            throw new UsageException(e.getMessage());
        }
    }

    boolean writes() {
        return WRITING.contains(command);
    }

    boolean has(String name) {
        return options.containsKey(name);
    }

    String get(String name) {
        return options.get(name);
    }

    private boolean blank(String name) {
        return options.get(name) == null || options.get(name).isBlank();
    }

    /** A command line that cannot run: exit status 2, and the help is one command away. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
