package org.cnlearn.db.authoring;

import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a project keeps its changelog: the master ({@code db-changelog/db.changelog-master.yaml}, as
 * pom.xml names it) and, beside it, {@code changes/}, one changeset file each.
 */
record Project(Path basedir, String master) {

    Path masterFile() {
        return basedir.resolve(master);
    }

    /** The folder of the changeset files. */
    Path changes() {
        return masterFile().getParent().resolve("changes");
    }

    /** A path from the project's folder, as a person types it: db-changelog/changes/0002-x.yaml. */
    String relative(Path file) {
        return basedir.relativize(file).toString().replace('\\', '/');
    }

    /** The project's files, as Liquibase reads them (the changelog's paths are from the project's folder). */
    ResourceAccessor accessor() {
        try {
            return new DirectoryResourceAccessor(basedir);
        } catch (FileNotFoundException e) {
            throw new AuthoringFailure("The project's folder " + basedir + " does not exist.", e);
        }
    }

    void requireMaster() {
        if (!Files.isRegularFile(masterFile())) {
            throw new AuthoringFailure("The master changelog " + master + " does not exist in " + basedir
                    + ": run the goal in the project's folder (docs/authoring.md).");
        }
    }
}
