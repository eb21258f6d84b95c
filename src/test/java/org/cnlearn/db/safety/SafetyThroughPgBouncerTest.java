package org.cnlearn.db.safety;

import org.cnlearn.db.PgBouncer;
import org.cnlearn.db.TestDatabase;

/** Every guarantee of SafetyTest, with each database reached through a real PgBouncer in session mode. */
class SafetyThroughPgBouncerTest extends SafetyTest {

    @Override
    TestDatabase database(String prefix) {
        return super.database(prefix).through(PgBouncer.get(PgBouncer.Mode.SESSION).address());
    }
}
