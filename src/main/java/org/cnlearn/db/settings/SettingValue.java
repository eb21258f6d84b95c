package org.cnlearn.db.settings;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The values a setting of the user's may take, checked where it is read: a wrong one is refused by the
 * setting's own name ("-Dliquibase.rollbackCount", "--count"), never read as a default or as false.
 * The goals (org.cnlearn.db.maven.GoalSettings) and the launcher also check them before anything runs.
 */
public final class SettingValue {

    /** PostgreSQL's duration: a number, and a unit or none (milliseconds), as lock_timeout takes it. */
    private static final Pattern DURATION = Pattern.compile("\\s*\\d+(?:\\.\\d+)?\\s*(?:us|ms|s|min|h|d)?\\s*");

    private SettingValue() {
    }

    /**
     * A setting's value as a command finds it: in Liquibase's scope (where the launcher, a program embedding the
     * project or a test puts it), else the system property (the goals' -D); null when neither has it.
     */
    public static String given(String key) {
        Object scoped = liquibase.Scope.getCurrentScope().get(key, Object.class);
        return scoped != null ? scoped.toString() : System.getProperty(key);
    }

    /** A count of changesets: a whole number, 1 or more. */
    public static int count(String setting, String value) {
        return (int) wholeNumber(setting, value, 1, Integer.MAX_VALUE, "changesets");
    }

    /** A number of seconds to wait: a whole number, 0 or more. */
    public static long seconds(String setting, String value) {
        return wholeNumber(setting, value, 0, Long.MAX_VALUE, "seconds");
    }

    /** A number of rows: a whole number, 0 or more. */
    public static long rows(String setting, String value) {
        return wholeNumber(setting, value, 0, Long.MAX_VALUE, "rows");
    }

    /** One of a few words, in any case, given back in lower case. */
    public static String oneOf(String setting, String value, java.util.List<String> words) {
        String given = value.strip().toLowerCase(Locale.ROOT);
        if (words.contains(given)) {
            return given;
        }
        throw new Refused(setting + " must be " + String.join(", ", words.subList(0, words.size() - 1)) + " or "
                + words.get(words.size() - 1) + "; it is '" + value + "'.");
    }

    private static long wholeNumber(String setting, String value, long least, long most, String of) {
        try {
            long number = Long.parseLong(value.strip());
            if (number >= least && number <= most) {
                return number;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new Refused(setting + " must be a whole number of " + of + ", " + least + " or more; it is '" + value + "'.");
    }

    /** A flag's value: true or false, in any case; anything else is refused rather than read as false. */
    public static boolean trueOrFalse(String setting, String value) {
        String given = value.strip().toLowerCase(Locale.ROOT);
        if (given.equals("true") || given.equals("false")) {
            return given.equals("true");
        }
        throw new Refused(setting + " must be true or false; it is '" + value + "'.");
    }

    /** A duration PostgreSQL reads (lock_timeout): 30s, 500ms, 2min. */
    public static String duration(String setting, String value) {
        if (DURATION.matcher(value).matches()) {
            return value.strip();
        }
        throw new Refused(setting + " must be a PostgreSQL duration such as 30s, 500ms or 2min; it is '" + value + "'.");
    }

    /** A setting's value that cannot be used; its message names the setting and the value. */
    public static final class Refused extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }
}
