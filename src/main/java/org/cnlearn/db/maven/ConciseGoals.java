package org.cnlearn.db.maven;

import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.execution.MojoExecutionEvent;
import org.apache.maven.execution.MojoExecutionListener;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.project.MavenProject;
import org.cnlearn.db.report.FailureReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.inject.Named;
import javax.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maven's side of the goals, as a core extension that ./mvnw loads for a liquibase: goal
 * (.mvn/build-before-goals.sh): at Maven's default verbosity, a goal's log shows what changes and why
 * a run failed, once ({@link ConciseLog}), and the failure's report ends the goal's output; its first
 * line is what Maven's closing block repeats ({@link ConciseFailure}). With -e or -X, Liquibase's
 * whole log and every stack trace show, as Maven's closing block does.
 */
@Named
@Singleton
public class ConciseGoals implements MojoExecutionListener {

    /** The failures reported, by the exception the goal threw: the first line of each report. */
    private final Map<Throwable, Failed> reported = new ConcurrentHashMap<>();

    record Failed(MojoExecution execution, MavenProject project, String firstLine) {
    }

    static boolean concise(MavenSession session) {
        MavenExecutionRequest request = session.getRequest();
        return !request.isShowErrors() && request.getLoggingLevel() != MavenExecutionRequest.LOGGING_LEVEL_DEBUG;
    }

    static boolean liquibaseGoal(MojoExecution execution) {
        return "org.liquibase".equals(execution.getGroupId()) && "liquibase-maven-plugin".equals(execution.getArtifactId());
    }

    @Override
    public void beforeMojoExecution(MojoExecutionEvent event) throws MojoExecutionException {
        if (liquibaseGoal(event.getExecution())) {
            String pro = ProGoals.refusal(event.getExecution().getGoal());
            if (pro != null) {
                throw new MojoExecutionException(pro);
            }
            // set before the goal first asks for its log: the Liquibase plugin wraps and keeps the first it gets
            event.getMojo().setLog(new ConciseLog(logger(event), !concise(event.getSession()), event.getExecution().getGoal()));
        }
    }

    @Override
    public void afterMojoExecutionSuccess(MojoExecutionEvent event) {
        if (SnapshotToFile.toDefaultFile(event.getSession(), event.getExecution())) {
            java.nio.file.Path file = SnapshotToFile.defaultFile(event.getProject());
            java.nio.file.Path shown = event.getProject().getBasedir().toPath().relativize(file);
            long lines;
            try (java.util.stream.Stream<String> all = java.nio.file.Files.lines(file)) {
                lines = all.count();
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                lines = -1;
            }
            logger(event).info("The snapshot" + (lines < 0 ? "" : " (" + lines + " lines)") + " is in " + shown
                    + "; -D" + SnapshotToFile.OUTPUT_FILE + "=FILE writes it elsewhere.");
        }
    }

    @Override
    public void afterExecutionFailure(MojoExecutionEvent event) {
        // Maven calls this only when the plugin itself broke; a goal's failure is reported on MojoFailed
    }

    /**
     * Reports a Liquibase goal's failure, where Maven says a goal failed (before its closing block):
     * from the exception the goal threw, its report, whose first line Maven's closing block repeats.
     */
    void failed(MavenSession session, MojoExecution execution, MavenProject project, Throwable thrown) {
        if (!liquibaseGoal(execution) || !concise(session) || thrown == null) {
            return;
        }
        // Maven wraps the goal's exception, and the plugin wraps Liquibase's, with words of its own in front
        Throwable failure = thrown;
        while (failure.getCause() != null && failure.getClass().getName().startsWith("org.apache.maven.")) {
            failure = failure.getCause();
        }
        List<String> report = FailureReport.lines(failure, false);
        report.forEach(LoggerFactory.getLogger(ConciseGoals.class)::error);
        reported.put(thrown, new Failed(execution, project, report.get(0)));
    }

    /** The logger Maven's own log of a goal writes to: its Mojo class's. */
    private static Logger logger(MojoExecutionEvent event) {
        return LoggerFactory.getLogger(event.getMojo().getClass().getName());
    }

    /** What was reported for the exception a goal threw (or Maven's around it), or null. */
    Failed reported(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            Failed failed = reported.get(t);
            if (failed != null) {
                return failed;
            }
        }
        return null;
    }
}
