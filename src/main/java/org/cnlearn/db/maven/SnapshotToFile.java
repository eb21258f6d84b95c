package org.cnlearn.db.maven;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.execution.ProjectExecutionEvent;
import org.apache.maven.execution.ProjectExecutionListener;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

import javax.inject.Named;
import javax.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * liquibase:snapshot writes the database's snapshot (some 170 lines for the one table of 0001, more
 * for every table after it) to target/liquibase/snapshot.txt, not to the terminal, unless
 * -Dliquibase.outputFile names a file; the goal then says where it is ({@link ConciseGoals}).
 */
@Named
@Singleton
public class SnapshotToFile implements ProjectExecutionListener {

    static final String OUTPUT_FILE = "liquibase.outputFile";

    /** Where the snapshot goes when the command line names no file. */
    static Path defaultFile(MavenProject project) {
        return Paths.get(project.getBuild().getDirectory(), "liquibase", "snapshot.txt");
    }

    /** The snapshot goes to {@link #defaultFile}: no file was named for it. */
    static boolean toDefaultFile(MavenSession session, MojoExecution execution) {
        return ConciseGoals.liquibaseGoal(execution) && "snapshot".equals(execution.getGoal())
                && session.getUserProperties().getProperty(OUTPUT_FILE) == null
                && session.getSystemProperties().getProperty(OUTPUT_FILE) == null;
    }

    @Override
    public void beforeProjectLifecycleExecution(ProjectExecutionEvent event) {
        for (MojoExecution execution : event.getExecutionPlan()) {
            if (!toDefaultFile(event.getSession(), execution) || execution.getConfiguration() == null) {
                continue;
            }
            Path file = defaultFile(event.getProject());
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + file.getParent() + " for the snapshot", e);
            }
            Xpp3Dom outputFile = execution.getConfiguration().getChild("outputFile");
            if (outputFile == null) {
                outputFile = new Xpp3Dom("outputFile");
                execution.getConfiguration().addChild(outputFile);
            }
            outputFile.setValue(file.toString());
        }
    }

    @Override
    public void beforeProjectExecution(ProjectExecutionEvent event) {
    }

    @Override
    public void afterProjectExecutionSuccess(ProjectExecutionEvent event) {
    }

    @Override
    public void afterProjectExecutionFailure(ProjectExecutionEvent event) {
    }
}
