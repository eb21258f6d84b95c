package org.cnlearn.db;

/** The fault tests (a SIGKILLed run, crowds of concurrent runs) with every process going through PgBouncer in session mode. */
class FaultsThroughPgBouncerIT extends FaultsIT {

    @Override
    TestDatabase database(String prefix) {
        return super.database(prefix).through(PgBouncer.get(PgBouncer.Mode.SESSION).address());
    }
}
