package dev.loomcrawl.internal.politeness;

import java.lang.management.ManagementFactory;

/**
 * Whether this machine's processors are saturated now. A response that takes longer while they are says more about
 * this machine (a crawl on a few cores, a server on the same one) than about the server, so rising latency lowers
 * a host's concurrency only while they are not. Implementations are thread-safe and fast.
 */
@FunctionalInterface
public interface MachineLoad {

    /** Never saturated: rising latency always counts. */
    MachineLoad NEVER = () -> false;

    /** Whether the processors are saturated now. */
    boolean saturated();

    /**
     * The machine's processors as the JVM sees them: saturated at {@value SystemLoad#SATURATED} of their time busy
     * or more, over the last {@value SystemLoad#SAMPLE_NANOS} ns.
     */
    static MachineLoad system() {
        return SystemLoad.INSTANCE;
    }

    /**
     * The operating system's CPU load, sampled at most once per interval of real time (it measures the real
     * processors, whatever clock the crawl runs on); the sample in between is shared by every crawl. The management
     * bean is looked up at the first sample, not at start-up.
     */
    final class SystemLoad implements MachineLoad {
        static final double SATURATED = 0.85;
        static final long SAMPLE_NANOS = 250_000_000L;
        private static final SystemLoad INSTANCE = new SystemLoad();

        /** The operating system's bean, made when first asked for. */
        private static final class Os {
            static final com.sun.management.OperatingSystemMXBean BEAN =
                    ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
        }

        private volatile long sampledAt = System.nanoTime() - SAMPLE_NANOS;
        private volatile boolean saturated;

        @Override
        public boolean saturated() {
            long now = System.nanoTime();
            if (now - sampledAt >= SAMPLE_NANOS) {
                sampledAt = now; // a race here costs one more sample, never a wrong answer
                double load = Os.BEAN.getCpuLoad();
                saturated = load >= SATURATED;
            }
            return saturated;
        }
    }
}
