package org.cnlearn.db.authoring;

import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.FileLockWait;
import org.cnlearn.db.settings.SettingValue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * cnlearn:revision's hold on the master changelog, from reading it to writing the new file and its
 * include: two revisions at once would pick the same number, and the later write of the master would
 * lose the other's include (four at once wrote two 0002 files, two 0003, and lost an include). The lock
 * is a file of the build's, target/cnlearn-revision.lock, never the master itself, which is replaced
 * by a rename as it is written.
 */
final class MasterLock implements AutoCloseable {

    private static final ReentrantLock IN_THIS_JVM = new ReentrantLock();

    private final FileChannel channel;
    private final FileLock lock;

    private MasterLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes it, waiting for another revision of this project that holds it (as long as -Dcnlearn.lockWaitSeconds). */
    static MasterLock take(Project project, Consumer<String> info) throws IOException {
        long waitSeconds;
        try {
            waitSeconds = ConnectionSettings.lockWaitSeconds("-D" + ConnectionSettings.LOCK_WAIT_PROPERTY);
        } catch (SettingValue.Refused e) {
            throw new AuthoringFailure(e.getMessage() + " Nothing was written.");
        }
        // one JVM's revisions one after another first (a JVM may not hold two locks of one file), then other processes'
        try {
            if (!IN_THIS_JVM.tryLock(waitSeconds, TimeUnit.SECONDS)) {
                throw new AuthoringFailure("Another cnlearn:revision of this build has been writing for " + waitSeconds
                        + " s. Let it finish and run again. Nothing was written.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthoringFailure("Interrupted while waiting for another cnlearn:revision. Nothing was written.", e);
        }
        Path file;
        FileChannel channel;
        try {
            file = Files.createDirectories(project.basedir().resolve("target")).resolve("cnlearn-revision.lock");
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            IN_THIS_JVM.unlock();
            throw e;
        }
        try {
            FileLock lock = FileLockWait.take(channel, waitSeconds,
                    () -> info.accept("Another cnlearn:revision of this project is writing; waiting for it (up to " + waitSeconds + " s)..."));
            if (lock == null) {
                throw new AuthoringFailure("Another cnlearn:revision of this project has been writing for " + waitSeconds
                        + " s (it holds " + project.relative(file) + "). Let it finish and run again. Nothing was written.");
            }
            return new MasterLock(channel, lock);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            IN_THIS_JVM.unlock();
            throw new AuthoringFailure("Interrupted while waiting for another cnlearn:revision. Nothing was written.", e);
        } catch (RuntimeException | IOException e) {
            channel.close();
            IN_THIS_JVM.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                IN_THIS_JVM.unlock();
            }
        }
    }
}
