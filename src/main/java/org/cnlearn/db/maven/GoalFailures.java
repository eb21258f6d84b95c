package org.cnlearn.db.maven;

import org.apache.maven.eventspy.AbstractEventSpy;
import org.apache.maven.execution.ExecutionEvent;

import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

/** Hands {@link ConciseGoals} each goal that failed, as Maven announces it (a listener of a goal only hears of Maven's own breakage). */
@Named
@Singleton
public class GoalFailures extends AbstractEventSpy {

    private final ConciseGoals goals;

    @Inject
    public GoalFailures(ConciseGoals goals) {
        this.goals = goals;
    }

    @Override
    public void onEvent(Object event) {
        if (event instanceof ExecutionEvent execution && execution.getType() == ExecutionEvent.Type.MojoFailed
                && execution.getMojoExecution() != null) {
            goals.failed(execution.getSession(), execution.getMojoExecution(), execution.getProject(), execution.getException());
        }
    }
}
