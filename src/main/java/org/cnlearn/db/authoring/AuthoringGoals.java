package org.cnlearn.db.authoring;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The cnlearn: goals' entry point: org.cnlearn.db.maven.goals runs it on the project's class path with
 * the goal's settings (docs/authoring.md). A failure a person can act on is an
 * {@link AuthoringFailure}, whose message the goal ends with.
 */
public final class AuthoringGoals {

    private AuthoringGoals() {
    }

    public static void run(String goal, Map<String, String> settings, Consumer<String> info, Consumer<String> error) throws Exception {
        Project project = new Project(Path.of(settings.get("basedir")), settings.get("changelog"));
        project.requireMaster();
        switch (goal) {
            case "revision" -> Revision.run(project, settings, info);
            case "check" -> Check.run(project, settings.get("desired"), info, error);
            default -> throw new AuthoringFailure("No goal cnlearn:" + goal + ": the goals are cnlearn:revision and cnlearn:check.");
        }
    }
}
