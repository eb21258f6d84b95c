package org.cnlearn.db.connection;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.TimeUnit;

/**
 * A file lock another run may hold, waited for with a word to the user: the embedded server's data
 * folder (EmbeddedServer), the master changelog while cnlearn:revision writes (authoring/MasterLock).
 */
public final class FileLockWait {

    private FileLockWait() {
    }

    /**
     * The lock: at once when it is free; else, once {@code waiting} has said that this run waits, when the
     * other run lets it go; null when it still holds it after {@code seconds}.
     */
    public static FileLock take(FileChannel channel, long seconds, Runnable waiting) throws IOException, InterruptedException {
        FileLock lock = channel.tryLock();
        if (lock != null) {
            return lock;
        }
        waiting.run();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while ((lock = channel.tryLock()) == null) {
            if (System.nanoTime() - deadline > 0) {
                return null;
            }
            Thread.sleep(100);
        }
        return lock;
    }
}
