package org.cnlearn.db.authoring;

import org.cnlearn.db.connection.Secrets;
import org.cnlearn.db.plan.Plan;
import org.cnlearn.db.settings.ReportFormat;
import org.cnlearn.db.settings.SettingValue;

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

    /** cnlearn:plan, whose JSON or Markdown is standard output's only text (with -q). */
    private static void plan(Project project, Map<String, String> settings, Consumer<String> info) throws Exception {
        Plan.run(project.accessor(), project.master(), settings.get("format"), settings.get("riskyRows"), info,
                AuthoringGoals::toStandardOutput);
    }

    /** A document (JSON, Markdown) or an annotation, as it is, on standard output: with -q, all there is there. */
    private static void toStandardOutput(String text) {
        System.out.print(Secrets.mask(text));
        System.out.flush();
    }

    public static void run(String goal, Map<String, String> settings, Consumer<String> info, Consumer<String> error) throws Exception {
        Project project = new Project(Path.of(settings.get("basedir")), settings.get("changelog"));
        project.requireMaster();
        // no line and no failure says back a password (one inside -Ddesired's URL, say)
        Consumer<String> shownInfo = line -> info.accept(Secrets.mask(line));
        Consumer<String> shownError = line -> error.accept(Secrets.mask(line));
        try {
            switch (goal) {
                case "revision" -> Revision.run(project, settings, shownInfo);
                case "check" -> Check.run(project, settings.get("desired"), ReportFormat.of("-D" + ReportFormat.PROPERTY, settings.get("format")),
                        settings.get("sarif"), shownInfo, shownError, AuthoringGoals::toStandardOutput);
                case "plan" -> plan(project, settings, shownInfo);
                default -> throw new AuthoringFailure("No goal cnlearn:" + goal + ": the goals are cnlearn:revision, cnlearn:check and cnlearn:plan.");
            }
        } catch (Plan.PlanFailure | SettingValue.Refused e) {
            throw new AuthoringFailure(Secrets.mask(e.getMessage()));
        } catch (AuthoringFailure e) {
            throw Secrets.holdsSecret(e.getMessage()) ? new AuthoringFailure(Secrets.mask(e.getMessage()), Secrets.mask(e.getCause())) : e;
        } catch (Exception e) {
            Throwable masked = Secrets.mask(e);
            throw masked instanceof Exception shown ? shown : e;
        }
    }
}
