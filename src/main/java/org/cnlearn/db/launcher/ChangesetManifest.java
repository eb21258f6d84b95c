package org.cnlearn.db.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

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
            if (fields[0].equals("changelog-sha256") && fields.length == 2) {
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

    /** SHA-256 over every file of the changelog's folder: its path from the folder, then its bytes, in path order. */
    static String digest(Path changelogDir) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(changelogDir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            sha.update(changelogDir.relativize(file).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Files.readAllBytes(file));
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
