package org.cnlearn.db.settings;

import java.util.Map;

/**
 * What counts as running in CI, in one place: the variable CI, set and neither {@code false} nor {@code 0}
 * (hosted runners set {@code CI=true}; some tools {@code CI=1}). In CI the goals never fall back to the
 * embedded PostgreSQL, and the tests fail rather than skip for want of a tool CI must have.
 */
public final class ContinuousIntegration {

    private ContinuousIntegration() {
    }

    /** Whether this process runs in CI. */
    public static boolean detected() {
        return detected(System.getenv());
    }

    /** Whether that environment is CI's. */
    public static boolean detected(Map<String, String> env) {
        String ci = env.get("CI");
        return ci != null && !ci.isBlank() && !ci.strip().equalsIgnoreCase("false") && !ci.strip().equals("0");
    }
}
