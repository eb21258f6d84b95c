package org.cnlearn.db.safety;

import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.exception.ChangeLogParseException;
import liquibase.parser.ChangeLogParser;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Liquibase's changelog parsers, each file read by the one Liquibase would pick, but a file that
 * includes itself (directly or through others) refused by name: Liquibase 4.33 reads it again and
 * again until the stack overflows. Every command, goal and the author's goals read changelogs
 * through Liquibase's parser factory, so each is covered; service-loaded ahead of the stock parsers.
 */
public class CircularIncludeGuard implements ChangeLogParser {

    /** The files being read on this thread, the outermost first: includes are read depth first, on one thread. */
    private static final ThreadLocal<Deque<Reading>> READING = ThreadLocal.withInitial(ArrayDeque::new);

    private record Reading(String identity, String path) {
    }

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE + 100; // ahead of every parser Liquibase has
    }

    @Override
    public boolean supports(String changeLogFile, ResourceAccessor resourceAccessor) {
        return parserFor(changeLogFile, resourceAccessor) != null;
    }

    @Override
    public DatabaseChangeLog parse(String physicalChangeLogLocation, ChangeLogParameters changeLogParameters,
                                   ResourceAccessor resourceAccessor) throws ChangeLogParseException {
        Deque<Reading> reading = READING.get();
        Reading file = new Reading(identity(physicalChangeLogLocation, resourceAccessor), physicalChangeLogLocation);
        if (reading.stream().anyMatch(outer -> outer.identity().equals(file.identity()))) {
            throw new ChangeLogParseException(loop(reading, file));
        }
        ChangeLogParser parser = parserFor(physicalChangeLogLocation, resourceAccessor);
        if (parser == null) {
            throw new ChangeLogParseException("Cannot find parser that supports " + physicalChangeLogLocation);
        }
        reading.addLast(file);
        try {
            return parser.parse(physicalChangeLogLocation, changeLogParameters, resourceAccessor);
        } finally {
            reading.removeLast();
            if (reading.isEmpty()) {
                READING.remove();
            }
        }
    }

    /** "a.yaml includes itself, through 1 other file: a.yaml → b.yaml → a.yaml, …", from where the loop starts. */
    private static String loop(Deque<Reading> reading, Reading again) {
        List<String> chain = new ArrayList<>();
        boolean inLoop = false;
        for (Reading outer : reading) {
            inLoop |= outer.identity().equals(again.identity());
            if (inLoop) {
                chain.add(outer.path());
            }
        }
        chain.add(again.path());
        String through = chain.size() == 2 ? "" : ", through " + (chain.size() - 2) + " other file" + (chain.size() == 3 ? "" : "s")
                + ": " + String.join(" → ", chain);
        return again.path() + " includes itself" + through + ", and Liquibase would read it again and again. Remove the include of "
                + again.path() + " from " + chain.get(chain.size() - 2) + ". Nothing was changed.";
    }

    /** The parser Liquibase would pick for the file, this one aside. */
    private static ChangeLogParser parserFor(String file, ResourceAccessor accessor) {
        for (ChangeLogParser parser : ChangeLogParserFactory.getInstance().getParsers()) {
            if (!(parser instanceof CircularIncludeGuard) && parser.supports(file, accessor)) {
                return parser;
            }
        }
        return null;
    }

    /** The file as one thing however it is named (relative to a changelog or not): its resource's URI, else its path. */
    private static String identity(String path, ResourceAccessor accessor) {
        try {
            Resource resource = accessor.get(path);
            if (resource != null && resource.exists()) {
                return resource.getUri().normalize().toString();
            }
        } catch (IOException | RuntimeException e) {
            // the path then
        }
        return path;
    }
}
