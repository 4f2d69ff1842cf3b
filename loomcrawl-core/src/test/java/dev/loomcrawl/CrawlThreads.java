package dev.loomcrawl;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The crawl's threads still alive, virtual ones included (every thread a crawl starts is named {@code loomcrawl-*}).
 *
 * <p>They are read from the JDK's tree of thread containers (the one {@code jcmd Thread.dump_to_file} walks), by
 * name, without taking any thread's stack. A full thread dump took every thread's stack, and JDK 25.0.3 can crash
 * doing that to a virtual thread that is ending at that moment (a crash like JDK-8392031's, seen once in 1,500
 * stress crawls, on a test server's own virtual thread). The test plugins' configuration exports {@code jdk.internal.vm}
 * to the tests for it.
 */
final class CrawlThreads {

    private static final Method ROOT;
    private static final Method THREADS;
    private static final Method CHILDREN;

    static {
        try {
            Class<?> containers = Class.forName("jdk.internal.vm.ThreadContainers");
            Class<?> container = Class.forName("jdk.internal.vm.ThreadContainer");
            ROOT = containers.getMethod("root");
            THREADS = container.getMethod("threads");
            CHILDREN = container.getMethod("children");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private CrawlThreads() {}

    /** Names of live threads called {@code loomcrawl-*}. */
    static List<String> alive() {
        return threads().stream().map(Thread::getName).toList();
    }

    /** Live threads called {@code loomcrawl-*}. */
    static List<Thread> threads() {
        List<Thread> found = new ArrayList<>();
        try {
            collect(ROOT.invoke(null), found);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the JDK's thread containers", e);
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object container, List<Thread> found) throws ReflectiveOperationException {
        try (Stream<Thread> threads = (Stream<Thread>) THREADS.invoke(container)) {
            threads.filter(t -> t.isAlive() && t.getName().startsWith("loomcrawl-")).forEach(found::add);
        }
        List<Object> children;
        try (Stream<Object> s = (Stream<Object>) CHILDREN.invoke(container)) {
            children = s.toList();
        }
        for (Object child : children) {
            collect(child, found);
        }
    }
}
