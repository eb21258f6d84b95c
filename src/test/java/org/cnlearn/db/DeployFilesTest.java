package org.cnlearn.db;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deploy files as docs/deploying.md shows them: each copy equals its file, and
 * each file says what a deploy needs. compose.yaml also runs in CI (.ci/deploy-checks); the
 * Kubernetes Job cannot run here, so this is its only check.
 */
class DeployFilesTest {

    private static String deployingPageCopy(String file) throws Exception {
        String page = Files.readString(Migrations.PROJECT_DIR.resolve("docs/deploying.md"));
        Matcher copy = Pattern.compile("<!-- " + Pattern.quote(file) + ":start[^\\n]*-->\\n```yaml\\n(.*?)\\n```\\n<!-- "
                + Pattern.quote(file) + ":end -->", Pattern.DOTALL).matcher(page);
        assertTrue(copy.find(), "docs/deploying.md shows no copy of " + file);
        return copy.group(1);
    }

    private static String file(String file) throws Exception {
        return Files.readString(Migrations.PROJECT_DIR.resolve(file)).stripTrailing();
    }

    @Test
    void theDeployingPageShowsTheDeployFilesAsTheyAre() throws Exception {
        for (String file : List.of("deploy/compose.yaml", "deploy/kubernetes-job.yaml")) {
            assertEquals(file(file), deployingPageCopy(file), "docs/deploying.md's copy of " + file + " is stale");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeStartsTheAppOnlyAfterTheMigrationCompleted() throws Exception {
        Map<String, Object> compose = new Yaml().load(file("deploy/compose.yaml"));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertTrue(services.get("db").containsKey("healthcheck"), "the database has no healthcheck");
        assertEquals(Map.of("db", Map.of("condition", "service_healthy")), services.get("tag").get("depends_on"));
        assertEquals(List.of("tag", "--tag=before-${RELEASE:-unreleased}"), services.get("tag").get("command"));
        assertEquals(Map.of("tag", Map.of("condition", "service_completed_successfully")), services.get("migrate").get("depends_on"));
        assertEquals(List.of("update"), services.get("migrate").get("command"));
        assertEquals(Map.of("migrate", Map.of("condition", "service_completed_successfully")), services.get("app").get("depends_on"));
        assertFalse(file("deploy/compose.yaml").matches("(?s).*PASSWORD: [^$\\n].*"), "a password is written in compose.yaml");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKubernetesJobRunsUpdateOnceAsAUserOtherThanRootWithItsPasswordFromASecret() throws Exception {
        Map<String, Object> job = new Yaml().load(file("deploy/kubernetes-job.yaml"));
        assertEquals("batch/v1", job.get("apiVersion"));
        assertEquals("Job", job.get("kind"));
        Map<String, Object> spec = (Map<String, Object>) job.get("spec");
        assertEquals(0, spec.get("backoffLimit"));
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
        assertEquals("Never", pod.get("restartPolicy"));
        assertEquals(true, ((Map<String, Object>) pod.get("securityContext")).get("runAsNonRoot"));
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertEquals(List.of("update"), container.get("args"));
        assertTrue(String.valueOf(container.get("image")).startsWith("cnlearn-db:"), String.valueOf(container.get("image")));
        List<Map<String, Object>> env = (List<Map<String, Object>>) container.get("env");
        Map<String, Object> password = env.stream().filter(e -> "LIQUIBASE_COMMAND_PASSWORD".equals(e.get("name"))).findFirst().orElseThrow();
        assertTrue(password.containsKey("valueFrom") && !password.containsKey("value"), "the password is not from a Secret");
    }
}
