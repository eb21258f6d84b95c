package org.cnlearn.db.lint;

/**
 * One thing the lint found: where (file and changeset), which rule, and what it does. Its
 * {@link #line()} is what a person reads: the rule, what breaks or waits, and the safe way.
 */
public record Finding(String file, String changeset, Rule rule, String what) {

    public String line() {
        return file + (changeset != null ? ", changeset " + changeset : "") + ": " + rule.id + ": " + what
                + ". Safe way: " + rule.safeWay + ".";
    }
}
