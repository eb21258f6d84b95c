package org.cnlearn.db.maven;

import org.apache.maven.AbstractMavenLifecycleParticipant;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.lifecycle.LifecycleExecutionException;
import org.apache.maven.plugin.MojoExecutionException;
import org.cnlearn.db.connection.Secrets;

import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;
import java.util.List;

/**
 * Maven's closing block names a failed goal with its exception's text, which for a Liquibase goal is
 * Liquibase's layers of wrapped exceptions, class names included. For a failure {@link ConciseGoals}
 * reported, the block says the report's first line instead: the reason, once more, in words. With -e or
 * -X, the whole failure, with any password a message of it says back masked.
 */
@Named
@Singleton
public class ConciseFailure extends AbstractMavenLifecycleParticipant {

    private final ConciseGoals goals;

    @Inject
    public ConciseFailure(ConciseGoals goals) {
        this.goals = goals;
    }

    @Override
    public void afterSessionEnd(MavenSession session) {
        List<Throwable> exceptions = session.getResult().getExceptions();
        for (int i = 0; i < exceptions.size(); i++) {
            Throwable exception = exceptions.get(i);
            ConciseGoals.Failed failed = goals.reported(exception);
            if (exception instanceof LifecycleExecutionException && failed != null) {
                exceptions.set(i, new LifecycleExecutionException(failed.execution(), failed.project(),
                        new MojoExecutionException(failed.firstLine())));
            } else if (Secrets.mask(exception) != exception) {
                // -e or -X: the whole failure, but no password a message of it says back
                exceptions.set(i, new LifecycleExecutionException(Secrets.mask(exception.getMessage()), Secrets.mask(exception.getCause())));
            }
        }
    }
}
