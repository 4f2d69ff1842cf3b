package dev.loomcrawl.internal.fetch;

import java.security.Provider;
import java.security.Security;
import org.conscrypt.Conscrypt;

/**
 * The native TLS engine of the lean client: BoringSSL through Conscrypt's {@code SSLEngine}. Its record layer and
 * ciphers are compiled code from the first byte, where the JDK's AES-GCM runs as Java until the JIT's C2 compiles
 * it with its intrinsics, which a crawl of a few seconds pays for in CPU (see docs/benchmarks.md).
 *
 * <p>Conscrypt ships its library for Linux (glibc) and macOS on x86-64 and aarch64, and Windows on x86-64. When
 * it loads, it copies the library out of its jar into {@code java.io.tmpdir}, or, where its jar holds none (the
 * CLI's), loads it in place from {@code java.library.path}. The system property {@value #PROPERTY} chooses:
 * <ul>
 *   <li>unset: the native engine where it loads, else the JDK's, with the same certificate checks and more CPU
 *       per page;</li>
 *   <li>{@code jdk}: the JDK's engine. It is also chosen when {@code jdk.tls.client.protocols} or
 *       {@code jdk.tls.client.cipherSuites} is set, since only the JDK's engine reads them (nor does the native
 *       one read the {@code jdk.tls.disabledAlgorithms} security property; certificates are checked by the JDK's
 *       trust manager either way, under {@code jdk.certpath.disabledAlgorithms});</li>
 *   <li>{@code native}: the native engine or none: an https request fails, saying why, where it does not load.</li>
 * </ul>
 * The contexts loomcrawl makes use its provider directly. The first of them also adds it at the end of the JVM's list
 * of providers, for the rest of the JVM's life, where it is the last choice for any algorithm another provider has,
 * so that the JDK's certificate checks can ask it by name for their signatures ({@link #offerSignatures}).
 */
final class NativeTls {

    /** The system property that chooses the engine: unset, {@code jdk} or {@code native}. */
    static final String PROPERTY = "loomcrawl.tls";

    private NativeTls() {}

    /**
     * Conscrypt's provider, made on first use; null when the JDK's engine is chosen, or when the native library
     * does not load on this machine and the property does not require it.
     *
     * @throws IllegalStateException when the property requires the native engine and it does not load, saying why
     */
    static Provider provider() {
        String choice = System.getProperty(PROPERTY, "").strip();
        if (choice.equalsIgnoreCase("jdk")) {
            return null;
        }
        if (choice.equalsIgnoreCase("native")) {
            if (Loaded.ONCE.provider() == null) {
                throw new IllegalStateException(PROPERTY + "=native, but the native TLS engine does not load here: "
                        + Loaded.ONCE.failure());
            }
            return Loaded.ONCE.provider();
        }
        boolean jdkPolicy = System.getProperty("jdk.tls.client.protocols") != null
                || System.getProperty("jdk.tls.client.cipherSuites") != null;
        return jdkPolicy ? null : Loaded.ONCE.provider();
    }

    /**
     * Lets the JDK's certificate path checks, which take a signature provider by its registered name only, find
     * {@code provider}'s: adds it at the end of the JVM's list of providers unless one of its name is there.
     */
    static void offerSignatures(Provider provider) {
        if (Security.getProvider(provider.getName()) == null) {
            Security.addProvider(provider);
        }
    }

    /** The provider, or why there is none, loaded once by the first https connection that needs it. */
    private record Loaded(Provider provider, String failure) {
        static final Loaded ONCE = load();

        private static Loaded load() {
            try {
                Conscrypt.checkAvailability();
                return new Loaded(Conscrypt.newProvider(), null);
            } catch (LinkageError | RuntimeException e) {
                return new Loaded(null, String.valueOf(e.getMessage())); // a library that does not fit this machine
            }
        }
    }
}
