package org.cnlearn.db.maven.goals;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ./mvnw cnlearn:check}: the lint, then every changeset up, down and up again on a throwaway database (docs/authoring.md). */
public class CheckGoal extends ProjectGoal {


    @Override
    String goal() {
        return "check";
    }

    @Override
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("desired", userSetting("desired"));
        return settings;
    }
}
