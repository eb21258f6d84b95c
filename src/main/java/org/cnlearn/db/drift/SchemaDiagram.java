package org.cnlearn.db.drift;

import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.logging.core.NoOpLogService;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.cnlearn.db.catalog.CatalogComparison;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.CatalogObject.Kind;
import org.cnlearn.db.catalog.SchemaCatalog;
import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.ThrowawayServer;
import org.cnlearn.db.connection.PostgresVersions;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schema the changelog builds, as a Mermaid {@code erDiagram}: tables, columns with their types,
 * primary, foreign and unique keys, and each index as a comment on its first column (an erDiagram
 * has no notes). It is read from a reference database, a scratch PostgreSQL on which the whole
 * changelog ran, as drift detection builds one. {@code ./mvnw -q compile exec:java@schema-diagram}
 * writes it into docs/getting-started.md, between {@value #START} and {@value #END}.
 */
public final class SchemaDiagram {

    public static final String START = "<!-- schema-diagram:start (generated: ./mvnw -q compile exec:java@schema-diagram) -->";
    public static final String END = "<!-- schema-diagram:end -->";
    private static final Pattern BLOCK = Pattern.compile(Pattern.quote(START) + "\\n(.*?)" + Pattern.quote(END), Pattern.DOTALL);

    private SchemaDiagram() {
    }

    /** Writes the diagram of the changelog into a Markdown page. Arguments: the project's folder, the page, the changelog. */
    public static void main(String[] args) throws Exception {
        Path project = Paths.get(args[0]);
        Path page = project.resolve(args[1]);
        String diagram = mermaid(referenceSchema(project, args[2]));
        String text = Files.readString(page);
        Matcher block = BLOCK.matcher(text);
        if (!block.find()) {
            throw new IllegalStateException(page + " has no place for the diagram: add the two lines\n" + START + "\n" + END);
        }
        String updated = text.substring(0, block.start(1)) + diagram + text.substring(block.end(1));
        if (!updated.equals(text)) {
            Files.writeString(page, updated);
        }
        System.out.println("[cnlearn-db] " + page + ": the schema diagram " + (updated.equals(text) ? "was up to date" : "was rewritten"));
    }

    /** The diagram as it stands in a Markdown file (null when it has none). */
    public static String inMarkdown(String markdown) {
        Matcher block = BLOCK.matcher(markdown);
        return block.find() ? block.group(1) : null;
    }

    /** What the whole changelog builds, on a throwaway embedded PostgreSQL of the default major. */
    static List<CatalogObject> referenceSchema(Path projectDir, String changelog) throws Exception {
        int major = PostgresVersions.requested(System.getProperties());
        try (ThrowawayServer server = ThrowawayServer.start(major, null);
             Connection connection = ConnectionSettings.explicit(server.jdbcUrl("postgres", "postgres"), "postgres", null).open()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(projectDir),
                    Scope.Attr.logService.name(), new NoOpLogService(), Scope.Attr.ui.name(), new LoggerUIService(),
                    "liquibase.analytics.enabled", false), () -> new CommandScope("update")
                    .addArgumentValue("database", database)
                    .addArgumentValue("changelogFile", changelog)
                    .setOutput(OutputStream.nullOutputStream())
                    .execute());
            return SchemaCatalog.read(connection);
        }
    }

    /** The Mermaid text, ending in a newline, inside a ```mermaid fence. */
    public static String mermaid(List<CatalogObject> schema) {
        List<CatalogObject> objects = schema.stream().filter(o -> !CatalogComparison.isHistory(o)).toList();
        Map<String, List<CatalogObject>> columns = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> keys = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> comments = new LinkedHashMap<>();
        List<String> relations = new ArrayList<>();
        for (CatalogObject o : objects) {
            if (o.kind() == Kind.TABLE) {
                columns.put(o.qualifiedTable(), new ArrayList<>());
            } else if (o.kind() == Kind.COLUMN) {
                columns.get(o.qualifiedTable()).add(o);
            }
        }
        for (CatalogObject o : objects) {
            List<String> named = columnsOf(o.definition());
            switch (o.kind()) {
                case PRIMARY_KEY -> named.forEach(c -> add(keys, o.qualifiedTable(), c, "PK"));
                case UNIQUE_CONSTRAINT -> named.forEach(c -> add(keys, o.qualifiedTable(), c, named.size() == 1 ? "UK" : null));
                case FOREIGN_KEY -> {
                    named.forEach(c -> add(keys, o.qualifiedTable(), c, "FK"));
                    Matcher target = Pattern.compile("REFERENCES ([^(]+)\\(").matcher(o.definition());
                    if (target.find()) {
                        String parent = qualify(o.schema(), target.group(1).trim());
                        boolean optional = columns.getOrDefault(o.qualifiedTable(), List.of()).stream()
                                .anyMatch(c -> named.contains(CatalogObject.unquote(c.name())) && !c.column().notNull());
                        relations.add("    " + entity(parent) + (optional ? " |o--o{ " : " ||--o{ ") + entity(o.qualifiedTable())
                                + " : \"" + CatalogObject.unquote(o.name()) + "\"");
                    }
                }
                case INDEX -> {
                    if (!o.implied() && !named.isEmpty()) {
                        boolean unique = o.definition().startsWith("CREATE UNIQUE");
                        if (unique && named.size() == 1) {
                            add(keys, o.qualifiedTable(), named.get(0), "UK");
                        }
                        add(comments, o.qualifiedTable(), named.get(0), (unique ? "unique index " : "index ")
                                + CatalogObject.unquote(o.name()) + (named.size() > 1 ? " (" + String.join(", ", named) + ")" : ""));
                    }
                }
                default -> {
                }
            }
        }
        StringBuilder out = new StringBuilder("```mermaid\nerDiagram\n");
        columns.forEach((table, tableColumns) -> {
            out.append("    ").append(entity(table)).append(" {\n");
            for (CatalogObject c : tableColumns) {
                String name = CatalogObject.unquote(c.name());
                List<String> columnKeys = keys.getOrDefault(table, Map.of()).getOrDefault(name, List.of());
                List<String> notes = new ArrayList<>();
                notes.add(c.column().notNull() ? "not null" : "null");
                if (c.definition().contains("auto-increment")) {
                    notes.add("auto-increment");
                } else if (c.column().defaultValue() != null) {
                    notes.add("default " + c.column().defaultValue());
                }
                notes.addAll(comments.getOrDefault(table, Map.of()).getOrDefault(name, List.of()));
                out.append("        ").append(mermaidType(c.column().type())).append(' ').append(name)
                        .append(columnKeys.isEmpty() ? "" : " " + String.join(", ", columnKeys.stream().distinct().toList()))
                        .append(" \"").append(String.join("; ", notes).replace("\"", "'")).append("\"\n");
            }
            out.append("    }\n");
        });
        relations.forEach(r -> out.append(r).append('\n'));
        return out.append("```\n").toString();
    }

    private static void add(Map<String, Map<String, List<String>>> map, String table, String column, String value) {
        if (value != null) {
            map.computeIfAbsent(table, t -> new LinkedHashMap<>()).computeIfAbsent(column, c -> new ArrayList<>()).add(value);
        }
    }

    /** The plain column names in the first parenthesis of a definition: "PRIMARY KEY (id)", "… USING btree (a, b)". */
    private static List<String> columnsOf(String definition) {
        Matcher list = Pattern.compile("\\(([^()]*)\\)").matcher(definition);
        List<String> names = new ArrayList<>();
        if (list.find()) {
            for (String part : list.group(1).split(",")) {
                String name = part.trim();
                if (name.matches("\"?[A-Za-z_][A-Za-z0-9_$]*\"?")) {
                    names.add(CatalogObject.unquote(name));
                }
            }
        }
        return names;
    }

    private static String qualify(String schema, String table) {
        return table.contains(".") ? table : schema + "." + table;
    }

    /** public."user" is drawn as user; another schema's table as schema_table. */
    private static String entity(String qualifiedTable) {
        String[] parts = qualifiedTable.split("\\.", 2);
        String table = CatalogObject.unquote(parts[1]);
        return parts[0].equals("public") ? table : CatalogObject.unquote(parts[0]) + "_" + table;
    }

    /** PostgreSQL's type names in the words Mermaid accepts (no spaces or commas). */
    static String mermaidType(String type) {
        String plain = type.replaceFirst(" COLLATE .*$", "")
                .replace("character varying", "varchar")
                .replace("timestamp without time zone", "timestamp")
                .replace("timestamp with time zone", "timestamptz")
                .replace("time without time zone", "time")
                .replace("time with time zone", "timetz")
                .replace("double precision", "float8")
                .replace("character", "char");
        return plain.replace(", ", "_").replace(",", "_").replace(' ', '_');
    }
}
