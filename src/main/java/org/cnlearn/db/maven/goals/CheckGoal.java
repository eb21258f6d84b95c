package org.cnlearn.db.maven.goals;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The author's and the pipeline's gate, with no database: the lint, then every changeset applied, rolled back
 * to exactly the schema before it, and applied again, on a throwaway PostgreSQL; with -Ddesired=FILE|URL, the
 * changelog must build exactly that schema ({@code ./mvnw cnlearn:check}, docs/authoring.md). -Dcnlearn.format=json
 * and -Dcnlearn.sarif=FILE give its report as data (docs/ci.md).
 */
@Mojo(name = "check", requiresDependencyResolution = ResolutionScope.COMPILE)
public class CheckGoal extends ProjectGoal {

    @Override
    String goal() {
        return "check";
    }

    @Override
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("desired", userSetting("desired"));
        settings.put("format", userSetting("cnlearn.format"));
        settings.put("sarif", userSetting("cnlearn.sarif"));
        return settings;
    }
}
