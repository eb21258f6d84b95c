package org.cnlearn.db.lint;

import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.core.RawSQLChange;
import liquibase.change.core.SQLFileChange;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.OfflineConnection;
import liquibase.exception.LiquibaseException;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;
import org.cnlearn.db.phases.Phase;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The changelog's rules, read as Liquibase reads the changelog: its own parser (YAML, XML, JSON and
 * formatted SQL, with include, includeAll and properties resolved) and its own change objects, each
 * turned into the SQL Liquibase would run on PostgreSQL. That SQL, from change types and raw SQL
 * alike, is what the lock-safety rules ({@link LockRules}) check. Then the style rules, and the
 * waivers: {@code lint-waiver(rule): reason} in a changeset's comment.
 */
public final class ChangelogLint {

    private static final Pattern WAIVER = Pattern.compile("lint-waiver\\(([^)]*)\\)\\s*:?\\s*(.*?)(?=\\s*lint-waiver\\(|$)", Pattern.DOTALL);
    private static final Set<String> CHANGELOG_EXTENSIONS = Set.of("yaml", "yml", "xml", "json", "sql");

    private ChangelogLint() {
    }

    /** Parses the master changelog (a path the accessor resolves) and lints it. */
    public static List<Finding> lint(String master, ResourceAccessor accessor) throws Exception {
        List<Finding> findings = new ArrayList<>();
        Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), accessor), () -> {
            Database offline = offlineDatabase(accessor);
            DatabaseChangeLog changelog;
            try {
                changelog = ChangeLogParserFactory.getInstance().getParser(master, accessor)
                        .parse(master, new ChangeLogParameters(offline), accessor);
            } catch (LiquibaseException | RuntimeException e) {
                findings.add(new Finding(master, null, Rule.UNREADABLE_CHANGELOG,
                        String.format(Rule.UNREADABLE_CHANGELOG.blocks, oneLine(e))));
                findings.addAll(notIncluded(master, Set.of(), changelogFilesBeside(master, accessor), accessor));
                return;
            }
            findings.addAll(lint(changelog, master, accessor));
        });
        return findings;
    }

    /** Lints one changelog file on its own: every rule but "every file beside it is included". */
    public static List<Finding> lintAlone(String file, ResourceAccessor accessor) throws Exception {
        return lintAlone(file, accessor, List.of());
    }

    /**
     * The same, on a database whose columns are known (what the changelog before the file builds): a type
     * change is judged against the type the column has, so a widening passes as it would in the changelog.
     */
    public static List<Finding> lintAlone(String file, ResourceAccessor accessor, List<KnownColumn> known) throws Exception {
        List<Finding> findings = new ArrayList<>();
        Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), accessor), () -> {
            DatabaseChangeLog changelog = ChangeLogParserFactory.getInstance().getParser(file, accessor)
                    .parse(file, new ChangeLogParameters(offlineDatabase(accessor)), accessor);
            LockRules lockRules = new LockRules();
            known.forEach(lockRules::know);
            findings.addAll(lint(changelog, file, accessor, false, lockRules));
        });
        return findings;
    }

    /** A changeset's rollback, to check once every change is: its findings go into {@code findings} at {@code at}. */
    private record Rollback(List<Finding> findings, int at, String file, String id, boolean runInTransaction,
                            List<LockRules.Statement> statements) {
    }

    /** A column that exists before the file runs, its names as SQL writes them (quoted where they must be), and its type. */
    public record KnownColumn(String schema, String table, String column, String type) {
    }

    /** Lints a changelog Liquibase has parsed (the validate command's). */
    public static List<Finding> lint(DatabaseChangeLog changelog, String master, ResourceAccessor accessor) throws Exception {
        return lint(changelog, master, accessor, true, new LockRules());
    }

    private static List<Finding> lint(DatabaseChangeLog changelog, String master, ResourceAccessor accessor, boolean includes,
                                      LockRules lockRules) throws Exception {
        Database offline = offlineDatabase(accessor);
        List<Finding> findings = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        Set<String> files = new HashSet<>();
        files.add(DatabaseChangeLog.normalizePath(master));
        PhaseRules phaseRules = new PhaseRules();
        // each changeset's findings, waived once all are known: a later changeset can raise one on an earlier one
        List<ChangeSet> changeSets = changelog.getChangeSets();
        List<List<Finding>> byChangeSet = new ArrayList<>();
        Map<String, List<Finding>> byFileAndId = new HashMap<>();
        List<Rollback> rollbacks = new ArrayList<>();
        for (ChangeSet changeSet : changeSets) {
            String file = DatabaseChangeLog.normalizePath(changeSet.getFilePath());
            files.add(file);
            String id = changeSet.getId();
            List<Finding> own = new ArrayList<>();
            byChangeSet.add(own);
            byFileAndId.putIfAbsent(file + "::" + id, own);
            style(changeSet, file, ids, own);
            List<LockRules.Statement> changes = statements(changeSet.getChanges(), offline, files);
            own.addAll(lockRules.check(file, id, changeSet.isRunInTransaction(), changes, false));
            rollbacks.add(new Rollback(own, own.size(), file, id, changeSet.isRunInTransaction(),
                    statements(changeSet.getRollback().getChanges(), offline, files)));
            for (Finding finding : phaseRules.check(file, id, Phase.of(changeSet), changes)) {
                byFileAndId.get(finding.file() + "::" + finding.changeset()).add(finding);
            }
        }
        // the rollbacks last to first, on what the changes built, as rolling the whole back runs them: a rollback
        // then knows what the rollbacks after it restored (a check it validates, added by a later changeset's rollback)
        for (int i = rollbacks.size() - 1; i >= 0; i--) {
            Rollback rollback = rollbacks.get(i);
            rollback.findings().addAll(rollback.at(), lockRules.check(rollback.file(), rollback.id(), rollback.runInTransaction(),
                    rollback.statements(), true));
        }
        for (int i = 0; i < changeSets.size(); i++) {
            findings.addAll(waive(changeSets.get(i), byChangeSet.get(i)));
        }
        if (includes) {
            List<Resource> beside = changelogFilesBeside(master, accessor);
            findings.addAll(notIncluded(master, files, beside, accessor));
            findings.addAll(numbering(changelog, beside));
        }
        return findings;
    }

    /**
     * The numbers of the changeset files (NNNN-what-it-does): two files of one number (two branches
     * that each added the next one), and includes whose numbers do not rise.
     */
    private static List<Finding> numbering(DatabaseChangeLog changelog, List<Resource> beside) {
        List<Finding> findings = new ArrayList<>();
        Set<String> files = new LinkedHashSet<>();
        for (ChangeSet changeSet : changelog.getChangeSets()) {
            files.add(DatabaseChangeLog.normalizePath(changeSet.getFilePath()));
        }
        // the included ones in the master's order, then any other changelog file beside them
        List<String> included = new ArrayList<>(files);
        for (Resource resource : beside) {
            files.add(DatabaseChangeLog.normalizePath(resource.getPath()));
        }
        Map<Integer, String> first = new HashMap<>();
        for (String file : files.stream().sorted().toList()) {
            int number = ChangesetFiles.number(file);
            String earlier = number < 0 ? null : first.putIfAbsent(number, file);
            if (earlier != null) {
                findings.add(new Finding(file, null, Rule.DUPLICATE_CHANGESET_NUMBER,
                        String.format(Rule.DUPLICATE_CHANGESET_NUMBER.blocks, ChangesetFiles.format(number), earlier)));
            }
        }
        String highest = null;
        for (String file : included) {
            int number = ChangesetFiles.number(file);
            if (number < 0) {
                continue;
            }
            if (highest != null && number < ChangesetFiles.number(highest)) {
                findings.add(new Finding(file, null, Rule.INCLUDES_OUT_OF_ORDER, String.format(Rule.INCLUDES_OUT_OF_ORDER.blocks, highest)));
            } else {
                highest = file;
            }
        }
        return findings;
    }

    /** The changelog files in the master's folder and below, but the master itself. */
    private static List<Resource> changelogFilesBeside(String master, ResourceAccessor accessor) throws Exception {
        String folder = parentOf(DatabaseChangeLog.normalizePath(master));
        List<Resource> found = new ArrayList<>();
        for (Resource resource : accessor.search(folder.isEmpty() ? "/" : folder, true)) {
            String path = DatabaseChangeLog.normalizePath(resource.getPath());
            String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase();
            if (CHANGELOG_EXTENSIONS.contains(extension) && !path.equals(DatabaseChangeLog.normalizePath(master))) {
                found.add(resource);
            }
        }
        return found;
    }

    private static void style(ChangeSet changeSet, String file, Map<String, String> ids, List<Finding> own) {
        String id = changeSet.getId();
        String earlier = ids.putIfAbsent(id, file);
        if (earlier != null) {
            own.add(new Finding(file, id, Rule.UNIQUE_CHANGESET_ID, String.format(Rule.UNIQUE_CHANGESET_ID.blocks, earlier)));
        }
        if (blank(changeSet.getAuthor())) {
            own.add(new Finding(file, id, Rule.REQUIRE_AUTHOR, Rule.REQUIRE_AUTHOR.blocks));
        }
        if (blank(changeSet.getComments())) {
            own.add(new Finding(file, id, Rule.REQUIRE_COMMENT, Rule.REQUIRE_COMMENT.blocks));
        }
        if (changeSet.getChanges().isEmpty()) {
            // (an empty rollback then is the same unwritten file, not a second problem)
            own.add(new Finding(file, id, Rule.EMPTY_CHANGESET, Rule.EMPTY_CHANGESET.blocks));
        } else if (changeSet.getRollback().getChanges().isEmpty()) {
            own.add(new Finding(file, id, Rule.REQUIRE_EXPLICIT_ROLLBACK, Rule.REQUIRE_EXPLICIT_ROLLBACK.blocks));
        }
        if (changeSet.isAlwaysRun() || changeSet.isRunOnChange()) {
            own.add(new Finding(file, id, Rule.BAN_RUN_ALWAYS, String.format(Rule.BAN_RUN_ALWAYS.blocks,
                    changeSet.isAlwaysRun() ? "runAlways" : "runOnChange")));
        }
    }

    /** Each change as the statements Liquibase would run on PostgreSQL (raw SQL split as Liquibase splits it). */
    private static List<LockRules.Statement> statements(List<Change> changes, Database offline, Set<String> files) {
        List<LockRules.Statement> statements = new ArrayList<>();
        for (Change change : changes) {
            boolean raw = change instanceof RawSQLChange || change instanceof SQLFileChange;
            if (change instanceof SQLFileChange sqlFile && sqlFile.getPath() != null) {
                files.add(DatabaseChangeLog.normalizePath(sqlFile.isRelativeToChangelogFile()
                        ? parentOf(change.getChangeSet().getFilePath()) + sqlFile.getPath() : sqlFile.getPath()));
            }
            List<String> sqls = new ArrayList<>();
            try {
                for (SqlStatement statement : change.generateStatements(offline)) {
                    for (Sql sql : SqlGeneratorFactory.getInstance().generateSql(statement, offline)) {
                        sqls.addAll(raw ? SqlTokens.statements(sql.toSql()) : List.of(sql.toSql()));
                    }
                }
            } catch (RuntimeException e) {
                statements.add(new LockRules.Statement(change.getSerializedObjectName(), raw,
                        List.of(new Operation.Unparseable("Liquibase could not write its SQL without a database: " + oneLine(e)))));
                continue;
            }
            for (String sql : sqls) {
                statements.add(new LockRules.Statement(sql, raw, SqlStatements.parse(sql)));
            }
        }
        return statements;
    }

    /** Whether the changeset's comment waives the rule, with a reason, as the lint reads its waivers (the data-loss guard asks). */
    public static boolean waives(ChangeSet changeSet, Rule rule) {
        Set<Rule> waived = new HashSet<>();
        waivers(changeSet, waived, new ArrayList<>());
        return waived.contains(rule);
    }

    /** The findings left once the changeset's waivers apply; a waiver of no rule, or with no reason, is itself one. */
    private static List<Finding> waive(ChangeSet changeSet, List<Finding> findings) {
        Set<Rule> waived = new HashSet<>();
        List<Finding> left = new ArrayList<>();
        waivers(changeSet, waived, left);
        for (Finding finding : findings) {
            if (!waived.contains(finding.rule())) {
                left.add(finding);
            }
        }
        return left;
    }

    /** The rules the changeset's comment waives, into {@code waived}; each waiver that is not valid, into {@code invalid}. */
    private static void waivers(ChangeSet changeSet, Set<Rule> waived, List<Finding> invalid) {
        String comment = changeSet.getComments() == null ? "" : changeSet.getComments();
        String file = changeSet.getFilePath() == null ? "" : DatabaseChangeLog.normalizePath(changeSet.getFilePath());
        Matcher waiver = WAIVER.matcher(comment);
        while (waiver.find()) {
            String name = waiver.group(1).strip();
            Rule rule = Rule.byId(name);
            if (rule == null) {
                invalid.add(new Finding(file, changeSet.getId(), Rule.INVALID_WAIVER, String.format(Rule.INVALID_WAIVER.blocks,
                        "names " + name + ", which is no rule of this lint")));
            } else if (waiver.group(2).strip().length() < 10) {
                invalid.add(new Finding(file, changeSet.getId(), Rule.INVALID_WAIVER, String.format(Rule.INVALID_WAIVER.blocks,
                        "gives no reason for " + name)));
            } else {
                waived.add(rule);
            }
        }
    }

    /** Changelog files beside the master that define changesets it never reaches. */
    private static List<Finding> notIncluded(String master, Set<String> included, List<Resource> beside, ResourceAccessor accessor) {
        List<Finding> findings = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Resource resource : beside) {
            String path = DatabaseChangeLog.normalizePath(resource.getPath());
            String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase();
            if (included.contains(path) || !seen.add(path)) {
                continue;
            }
            try {
                DatabaseChangeLog alone = ChangeLogParserFactory.getInstance().getParser(path, accessor)
                        .parse(path, new ChangeLogParameters(), accessor);
                if (!alone.getChangeSets().isEmpty() && !included.isEmpty()) {
                    findings.add(new Finding(path, null, Rule.CHANGELOG_FILE_NOT_INCLUDED,
                            String.format(Rule.CHANGELOG_FILE_NOT_INCLUDED.blocks, master)));
                }
            } catch (LiquibaseException | RuntimeException e) {
                if (!extension.equals("sql")) { // a plain .sql file is an sqlFile's, not a changelog
                    findings.add(new Finding(path, null, Rule.UNREADABLE_CHANGELOG,
                            String.format(Rule.UNREADABLE_CHANGELOG.blocks, oneLine(e))));
                }
            }
        }
        return findings;
    }

    private static Database offlineDatabase(ResourceAccessor accessor) throws Exception {
        return DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new OfflineConnection("offline:postgresql", accessor));
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash + 1);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static String oneLine(Throwable e) {
        StringBuilder message = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !message.toString().contains(t.getMessage())) {
                message.append(message.length() > 0 ? ": " : "").append(t.getMessage());
            }
        }
        String line = message.toString().replaceAll("\\s+", " ").strip();
        return line.length() > 300 ? line.substring(0, 297) + "…" : line;
    }
}
