package dev.loomcrawl.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C during a command: the JVM's shutdown hook interrupts the working thread (which cancels the crawl) and
 * waits, up to 30 s, until the command has written what it has. Installed for the length of one command.
 */
final class CtrlC implements AutoCloseable {

    private static volatile boolean stopped;

    private final CountDownLatch written = new CountDownLatch(1);
    private final Thread hook;

    private CtrlC(Thread working) {
        this.hook = new Thread(() -> {
            stopped = true;
            working.interrupt();
            try {
                written.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Makes Ctrl-C interrupt the calling thread until {@link #close()}. */
    static CtrlC install() {
        return new CtrlC(Thread.currentThread());
    }

    /** Whether Ctrl-C stopped a command: the JVM is exiting already, with status 130. */
    static boolean stopped() {
        return stopped;
    }

    /** The command has written what it had: a pending exit may go on. */
    @Override
    public void close() {
        written.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running and waits for us
        }
    }
}
