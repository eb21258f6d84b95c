package org.cnlearn.db.maven.goals;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the next changeset file, db-changelog/changes/NNNN-slug.yaml, and includes it last in the master
 * changelog: empty, or with -Ddesired=FILE|URL the changesets that make the changelog build that schema
 * ({@code ./mvnw cnlearn:revision -Dmessage="…"}, docs/authoring.md).
 */
@Mojo(name = "revision", requiresDependencyResolution = ResolutionScope.COMPILE)
public class RevisionGoal extends ProjectGoal {

    /** What the change does: the file's name and the changeset's comment. */
    @Parameter(property = "message")
    private String message;
    /** The changeset's author; else git's user.name; else the last changeset's author. */
    @Parameter(property = "author")
    private String author;
    /** TABLE.OLD:NEW, comma-separated: columns renamed, not dropped and added. */
    @Parameter(property = "rename")
    private String rename;
    /** true: write a dropped column and an added one of the same type as a drop and an add. */
    @Parameter(property = "allowDataLoss")
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
