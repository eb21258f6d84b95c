package org.cnlearn.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every relative link and #anchor of the manual (README.md, CONTRIBUTING.md, docs/) leads somewhere:
 * the file exists, and the anchor is one of its headings as GitHub names them.
 */
class DocsLinksTest {

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6}) (.+)$");

    static List<Path> manual() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Migrations.PROJECT_DIR.resolve("README.md"), Migrations.PROJECT_DIR.resolve("CONTRIBUTING.md")));
        try (Stream<Path> docs = Files.list(Migrations.PROJECT_DIR.resolve("docs"))) {
            docs.filter(page -> page.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void everyLinkOfTheManualLeadsSomewhere() throws Exception {
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : manual()) {
            for (String target : links(page)) {
                links++;
                String problem = problem(page, target);
                if (problem != null) {
                    broken.add(Migrations.PROJECT_DIR.relativize(page) + ": (" + target + ") " + problem);
                }
            }
        }
        assertEquals(List.of(), broken);
        assertTrue(links > 50, "only " + links + " links: the test reads no manual");
    }

    @Test
    void aBrokenAnchorOrFileIsFound(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("a.md"), "# A\n\n## The `user` table\n\n## Start-up, measured\n\n## Twice\n\n## Twice\n\n"
                + "[ok](b.md#what-it-is) [ok](#the-user-table) [ok](#start-up-measured) [ok](#twice-1) [bad](#the-users-table)"
                + " [bad](c.md) [bad](b.md#nothing) [web](https://example.org/x)\n\n```\n[in code](nowhere.md)\n```\n\n1. a step:\n\n   ```\n   [in code](nowhere.md)\n   ```\n");
        Files.writeString(folder.resolve("b.md"), "# B\n\n## What it is?\n");
        List<String> problems = new ArrayList<>();
        for (String target : links(folder.resolve("a.md"))) {
            String problem = problem(folder.resolve("a.md"), target);
            if (problem != null) {
                problems.add(target);
            }
        }
        assertEquals(List.of("#the-users-table", "c.md", "b.md#nothing"), problems);
    }

    /** The link targets of a Markdown page, outside code blocks and code spans. */
    static List<String> links(Path page) throws IOException {
        List<String> targets = new ArrayList<>();
        boolean fence = false;
        for (String line : Files.readAllLines(page)) {
            if (line.strip().startsWith("```")) { // a code block, in a list item too
                fence = !fence;
                continue;
            }
            if (fence) {
                continue;
            }
            Matcher link = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
            while (link.find()) {
                targets.add(link.group(1));
            }
        }
        return targets;
    }

    /** What is wrong with a link of this page, or null. */
    static String problem(Path page, String target) throws IOException {
        if (target.matches("^[a-z]+:.*")) {
            return null; // https:, mailto:: not this test's to follow
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (hash < 0) {
            return null;
        }
        if (!resolved.toString().endsWith(".md")) {
            return "an anchor into a file that is not Markdown";
        }
        return anchors(resolved).contains(target.substring(hash + 1)) ? null : "no such heading";
    }

    /** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
    static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fence = false;
        for (String line : Files.readAllLines(page)) {
            if (line.strip().startsWith("```")) {
                fence = !fence;
            }
            Matcher heading = HEADING.matcher(line);
            if (fence || !heading.matches()) {
                continue;
            }
            String anchor = heading.group(2).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_ -]", "").replace(' ', '-');
            int times = seen.merge(anchor, 1, Integer::sum);
            anchors.add(times == 1 ? anchor : anchor + "-" + (times - 1));
        }
        return anchors;
    }
}
