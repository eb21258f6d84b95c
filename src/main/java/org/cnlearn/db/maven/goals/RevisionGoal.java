package org.cnlearn.db.maven.goals;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ./mvnw cnlearn:revision -Dmessage="…"}: the next changeset file, written and included (docs/authoring.md). */
public class RevisionGoal extends ProjectGoal {

    private String message;
    private String author;
    private String rename;
    private String allowDataLoss;

    @Override
    String goal() {
        return "revision";
    }

    @Override
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("message", message);
        settings.put("author", author);
        settings.put("desired", userSetting("desired"));
        settings.put("rename", rename);
        settings.put("allowDataLoss", allowDataLoss);
        return settings;
    }
}
