package org.cnlearn.db.lint;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How changeset files are named: {@code NNNN-what-it-does.yaml}, numbered in the order they apply
 * (docs/authoring.md). The lint checks the numbers; cnlearn:revision takes the next one.
 */
public final class ChangesetFiles {

    /** A numbered changelog file: four digits, a dash, the rest of its name. */
    private static final Pattern NUMBERED = Pattern.compile("^(\\d{4})-[^/]*\\.(?:yaml|yml|xml|json|sql)$");

    private ChangesetFiles() {
    }

    /** The number of the file a path names, or -1 when its name has none. */
    public static int number(String path) {
        Matcher matcher = NUMBERED.matcher(path.substring(path.lastIndexOf('/') + 1));
        return matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    /** The number as file names write it: 0002. */
    public static String format(int number) {
        return String.format("%04d", number);
    }
}
