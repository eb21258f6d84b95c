package org.cnlearn.db.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The changesets of the distribution's changelog as Liquibase identifies them (file, id, author) and
 * their checksums, written at build time by {@link ManifestWriter}, with a digest of the changelog's
 * files. It lets {@link UpToDate} tell "nothing to do" without starting Liquibase. It is a cache of
 * Liquibase's own verdict: when the changelog's files are not the ones it was written from, it is
 * not used.
 */
record ChangesetManifest(String changelogDigest, List<Entry> changesets) {

    /** Its file, beside the changelog in lib/. */
    static final String FILE_NAME = "changesets.tsv";
    /** The changelog's folder under lib/, named as in the project, so the history rows name the same files. */
    static final String CHANGELOG_DIR = "db-changelog";

    record Entry(String filename, String id, String author, String checksum) {
    }

    /** The manifest beside the changelog, or null when there is none (the fast path is then simply not taken). */
    static ChangesetManifest read(Path lib) throws IOException {
        Path file = lib.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String digest = null;
        List<Entry> changesets = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] fields = line.split("\t", -1);
            if (fields[0].equals(DIGEST_FIELD) && fields.length == 2) {
                digest = fields[1];
            } else if (fields[0].equals("changeset") && fields.length == 5) {
                changesets.add(new Entry(fields[1], fields[2], fields[3], fields[4]));
            }
        }
        return digest == null ? null : new ChangesetManifest(digest, List.copyOf(changesets));
    }

    /** Whether the changelog under lib/ is, byte for byte, the one this manifest was written from. */
    boolean describes(Path lib) throws IOException {
        return changelogDigest.equals(digest(lib.resolve(CHANGELOG_DIR)));
    }

    static final String DIGEST_FIELD = "changelog-crc32";

    /**
     * A CRC-32 over every file of the changelog's folder (its path from the folder, then its bytes, in
     * path order) and their number: it tells an edited, added or removed file, which is what it is for
     * (whoever could forge one could as well edit the jars). A cryptographic digest measured some
     * 10 to 35 ms more here, for its provider's start.
     */
    static String digest(Path changelogDir) throws IOException {
        CRC32 crc = new CRC32();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(changelogDir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            crc.update(changelogDir.relativize(file).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
            crc.update(0);
            crc.update(Files.readAllBytes(file));
        }
        return files.size() + "-" + Long.toHexString(crc.getValue());
    }
}
