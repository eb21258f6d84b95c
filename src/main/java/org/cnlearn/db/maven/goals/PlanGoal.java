package org.cnlearn.db.maven.goals;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each pending changeset will lock, rewrite and scan on the goals' database, traced on a copy of its
 * schema with its table sizes; the database is only read ({@code ./mvnw cnlearn:plan}, docs/ci.md).
 * -Dcnlearn.format=json|markdown, -Dcnlearn.plan.riskyRows=N.
 */
@Mojo(name = "plan", requiresDependencyResolution = ResolutionScope.COMPILE)
public class PlanGoal extends ProjectGoal {

    @Override
    String goal() {
        return "plan";
    }

    @Override
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("format", userSetting("cnlearn.format"));
        settings.put("riskyRows", userSetting("cnlearn.plan.riskyRows"));
        return settings;
    }
}
