package org.cnlearn.db.settings;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a report is written: for a person (text, the default), for a pipeline (json: with -q, standard output
 * holds that one document and nothing else) or for a pull request (markdown). Set with -Dcnlearn.format
 * (docs/ci.md).
 */
public enum ReportFormat {
    TEXT, JSON, MARKDOWN;

    public static final String PROPERTY = "cnlearn.format";

    /** This run's format: Liquibase's scope (where the launcher's --format puts it), else -Dcnlearn.format. */
    public static ReportFormat current() {
        return of("-D" + PROPERTY, SettingValue.given(PROPERTY));
    }

    /** Where this run's own messages go: standard error when its report is data, so that standard output holds the document alone. */
    public static java.io.PrintStream messages() {
        return current() == TEXT ? System.out : System.err;
    }

    /** The format a setting names; unset or blank is text, anything else but the three is refused by the setting's name. */
    public static ReportFormat of(String setting, String value) {
        if (value == null || value.isBlank()) {
            return TEXT;
        }
        List<String> names = Arrays.stream(values()).map(format -> format.name().toLowerCase(Locale.ROOT)).toList();
        return valueOf(SettingValue.oneOf(setting, value, names).toUpperCase(Locale.ROOT));
    }
}
