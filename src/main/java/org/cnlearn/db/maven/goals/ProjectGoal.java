package org.cnlearn.db.maven.goals;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A goal of the {@code cnlearn:} prefix (docs/authoring.md). The plugin is only this shell:
 * Maven finds it by the prefix (its descriptor, which maven-plugin-plugin generates from these classes'
 * annotations; pom.xml), and it runs the project's own code,
 * {@code org.cnlearn.db.authoring}, from the project's compiled classes and class path, the way the
 * Liquibase goals run the project's extensions. So the goals and the tests run the same code.
 */
abstract class ProjectGoal extends AbstractMojo {

    /** The entry point of the project's code, and the failure it throws for a person to read. */
    private static final String ENTRY = "org.cnlearn.db.authoring.AuthoringGoals";
    private static final String FAILURE = "org.cnlearn.db.authoring.AuthoringFailure";

    /**
     * The build: -Ddesired is read from its user properties, so that -X, which prints each parameter, never
     * shows a URL that holds a password.
     */
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private org.apache.maven.execution.MavenSession session;
    /** The project's folder. */
    @Parameter(defaultValue = "${basedir}", readonly = true, required = true)
    private File basedir;
    /** The project's compiled classes and compile class path. */
    @Parameter(defaultValue = "${project.compileClasspathElements}", readonly = true, required = true)
    private List<String> classpath;
    /** The master changelog. */
    @Parameter(defaultValue = "${cnlearn.changelog}", readonly = true, required = true)
    private String changelog;
    /** The embedded PostgreSQL's major. */
    @Parameter(defaultValue = "${pg.version}", readonly = true, required = true)
    private String pgVersion;
    /** The supported majors. */
    @Parameter(defaultValue = "${pg.majors}", readonly = true, required = true)
    private String pgMajors;
    /** Where the build copied the embedded binaries. */
    @Parameter(defaultValue = "${pg.binaries.dir}", readonly = true, required = true)
    private String pgBinaries;

    /** The goal's name, as AuthoringGoals knows it. */
    abstract String goal();

    /** The goal's own settings (null values are left out). */
    abstract Map<String, String> settings();

    /**
     * A -D setting read from the build's user properties rather than as a parameter: Maven's -X prints
     * every parameter, and this one may be a URL that holds a password (-Ddesired).
     */
    String userSetting(String name) {
        String value = session == null ? null : session.getUserProperties().getProperty(name);
        return value != null ? value : System.getProperty(name);
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("basedir", basedir.getAbsolutePath());
        settings.put("changelog", changelog);
        settings.putAll(settings());
        settings.values().removeIf(value -> value == null);
        // the embedded PostgreSQL's binaries and majors, as the Liquibase goals get them (pom.xml)
        System.setProperty("cnlearn.pg.version", pgVersion);
        System.setProperty("cnlearn.pg.majors", pgMajors);
        System.setProperty("cnlearn.pg.binaries", pgBinaries);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // not closed: a throwaway server's clean-up may still load classes from it when Maven exits
        ClassLoader project = new URLClassLoader(urls(), getClass().getClassLoader());
        try {
            thread.setContextClassLoader(project);
            Method run = project.loadClass(ENTRY).getMethod("run", String.class, Map.class, Consumer.class, Consumer.class);
            Consumer<String> info = getLog()::info;
            Consumer<String> error = getLog()::error;
            run.invoke(null, goal(), settings, info, error);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause.getClass().getName().equals(FAILURE)) {
                throw new MojoFailureException(cause.getMessage());
            }
            throw new MojoExecutionException(cause.getMessage() != null ? cause.getMessage() : cause.toString(), cause);
        } catch (ReflectiveOperationException e) {
            throw new MojoExecutionException("The project's classes are not built (target/classes): run ./mvnw compile first.", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private URL[] urls() throws MojoExecutionException {
        List<URL> urls = new ArrayList<>();
        for (String element : classpath) {
            try {
                urls.add(new File(element).toURI().toURL());
            } catch (MalformedURLException e) {
                throw new MojoExecutionException("Not a class path element: " + element, e);
            }
        }
        return urls.toArray(new URL[0]);
    }
}
