package org.cnlearn.db.phases;

import liquibase.changelog.ChangeSet;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The two phases of a deploy, as the Liquibase labels that name them: expand runs before the application's
 * rollout ({@code update --label-filter=expand}), contract after it (docs/deploying.md).
 */
public enum Phase {
    EXPAND, CONTRACT;

    /** The label, as a changeset writes it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The phases the changeset's labels name; none for most changesets (Liquibase reads labels ignoring case). */
    public static Set<Phase> of(ChangeSet changeSet) {
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        if (changeSet.getLabels() != null) {
            for (String label : changeSet.getLabels().getLabels()) {
                for (Phase phase : values()) {
                    if (phase.label().equalsIgnoreCase(label.strip())) {
                        phases.add(phase);
                    }
                }
            }
        }
        return phases;
    }
}
