package dev.loomcrawl.internal.fetch;

import java.security.Provider;
import org.conscrypt.Conscrypt;

/**
 * The native TLS engine of the lean client: BoringSSL through Conscrypt's {@code SSLEngine}. Its record layer and
 * ciphers are compiled code from the first byte, where the JDK's AES-GCM runs as Java until the JIT's C2 compiles
 * it with its intrinsics, which a crawl of a few seconds pays for in CPU (see docs/benchmarks.md).
 *
 * <p>Conscrypt ships its library for Linux, macOS and Windows on x86-64 and aarch64, and unpacks it into
 * {@code java.io.tmpdir} when it loads. Where it does not load, or with {@code -Dloomcrawl.tls=jdk}, the lean client
 * speaks the JDK's TLS instead: the same protocol and checks, more CPU per page. Its provider is never installed in
 * the JVM's list: only the contexts loomcrawl makes use it.
 */
final class NativeTls {

    /** The system property that, set to {@code jdk}, makes the lean client speak the JDK's TLS. */
    static final String PROPERTY = "loomcrawl.tls";

    private NativeTls() {}

    /**
     * Conscrypt's provider, made on first use; null when the property says {@code jdk} or the native library does
     * not load on this machine.
     */
    static Provider provider() {
        return "jdk".equalsIgnoreCase(System.getProperty(PROPERTY, "").strip()) ? null : Loaded.PROVIDER;
    }

    /** Holds the provider: the library is loaded once, by the first https connection that needs it. */
    private static final class Loaded {
        static final Provider PROVIDER = load();

        private static Provider load() {
            try {
                return Conscrypt.isAvailable() ? Conscrypt.newProvider() : null;
            } catch (LinkageError | RuntimeException e) {
                return null; // a library that does not fit this machine: the JDK's TLS serves
            }
        }
    }
}
