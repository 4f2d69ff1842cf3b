package dev.loomcrawl.internal.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Whom a crawl trusts over https, and the TLS contexts made with that trust: the JDK's trusted roots by default;
 * those plus certificates of the user's (as curl's {@code --cacert} and wget's {@code --ca-certificate} are used,
 * for staging sites and TLS-inspecting proxies); no verification at all; or a context the user made, used as it is.
 *
 * <p>The lean client's context speaks TLS through the {@linkplain NativeTls native engine} where it loads, the
 * JDK's otherwise; {@code java.net.http}'s is always the JDK's. Both are made on first use, once, and kept; the
 * JDK's default trust is read then (its {@code cacerts}, or what {@code javax.net.ssl.trustStore} names), and an
 * application's {@link SSLContext#setDefault} reaches {@code java.net.http} and the JDK's engine only.
 * Thread-safe.
 */
public final class TlsTrust {

    private static final DefaultTrust JDK_TRUST = TlsTrust::defaultTrust;
    private static final TlsTrust JDK_DEFAULTS = new TlsTrust(Verification.CERTIFICATES, null, null, JDK_TRUST);

    /** Whether certificates are checked at all. */
    private enum Verification { CERTIFICATES, NONE }

    private final Verification verification;
    /** The user's roots, trusted besides the JDK's; null when only the JDK's are. */
    private final List<X509Certificate> userRoots;
    /** A context the user made, or null. */
    private final SSLContext given;
    /** The JDK's trust, read when first needed. */
    private final DefaultTrust defaults;
    private SSLContext lean;
    private SSLContext jdk;

    private TlsTrust(Verification verification, List<X509Certificate> userRoots, SSLContext given,
                     DefaultTrust defaults) {
        this.verification = verification;
        this.userRoots = userRoots;
        this.given = given;
        this.defaults = defaults;
    }

    /** The JDK's trust manager for its default roots, read from its trust store. */
    @FunctionalInterface
    interface DefaultTrust {
        X509ExtendedTrustManager read() throws GeneralSecurityException;
    }

    /** What the JDK trusts: its default trust store, or the one {@code javax.net.ssl.trustStore} names. */
    public static TlsTrust jdkDefaults() {
        return JDK_DEFAULTS;
    }

    /** This context, for both clients, as it is: its provider's TLS, its trust. */
    public static TlsTrust of(SSLContext context) {
        return context == null ? JDK_DEFAULTS : new TlsTrust(Verification.CERTIFICATES, null, context, null);
    }

    /**
     * What the JDK trusts and, in addition, every certificate in {@code pemFiles} (each file holds one or more PEM
     * certificates) as a root.
     *
     * @throws IllegalArgumentException naming the file when one cannot be read or holds no certificate
     */
    public static TlsTrust withCertificates(List<Path> pemFiles) {
        return withCertificates(pemFiles, JDK_TRUST);
    }

    /** As {@link #withCertificates(List)}, with {@code defaults} standing for the JDK's trust. */
    static TlsTrust withCertificates(List<Path> pemFiles, DefaultTrust defaults) {
        List<X509Certificate> roots = new ArrayList<>();
        for (Path file : pemFiles) {
            for (Certificate c : read(file)) {
                if (c instanceof X509Certificate x) {
                    roots.add(x);
                }
            }
        }
        return new TlsTrust(Verification.CERTIFICATES, List.copyOf(roots), null, defaults);
    }

    /** The JDK's trust as {@code defaults} stands for it, with no roots of the user's. */
    static TlsTrust jdkDefaults(DefaultTrust defaults) {
        return new TlsTrust(Verification.CERTIFICATES, null, null, defaults);
    }

    /**
     * Checks neither certificates nor host names, as curl's {@code --insecure}: anyone between the crawler and the
     * site can read and change what it fetches.
     */
    public static TlsTrust insecure() {
        return new TlsTrust(Verification.NONE, null, null, null);
    }

    /**
     * The lean client's context: the given one, else one of the {@linkplain NativeTls native engine} where it
     * loads, else the JDK's.
     *
     * @throws GeneralSecurityException when no TLS implementation can be set up
     */
    synchronized SSLContext leanContext() throws GeneralSecurityException {
        if (lean == null) {
            lean = given != null ? given : nativeContext();
        }
        return lean;
    }

    /** A context of the native engine with this trust; the JDK's when that engine is not chosen or will not start. */
    private SSLContext nativeContext() throws GeneralSecurityException {
        Provider provider = NativeTls.provider();
        if (provider != null) {
            try {
                return make(provider);
            } catch (GeneralSecurityException | RuntimeException e) {
                // a native engine that will not start: the JDK's TLS serves
            }
        }
        return jdkContext();
    }

    /**
     * {@code java.net.http}'s context: the given one, else the JDK's with this trust.
     *
     * @throws GeneralSecurityException when the JDK has no TLS
     */
    synchronized SSLContext jdkContext() throws GeneralSecurityException {
        if (jdk == null) {
            jdk = given != null ? given
                    : verification == Verification.CERTIFICATES && userRoots == null && defaults == JDK_TRUST
                    ? SSLContext.getDefault() : make(null);
        }
        return jdk;
    }

    /** A TLS context of {@code provider} (the JDK's when null) with this trust. */
    private SSLContext make(Provider provider) throws GeneralSecurityException {
        SSLContext context = provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", provider);
        context.init(null, new TrustManager[] {manager(provider)}, null);
        return context;
    }

    /**
     * The trust manager of a context of {@code provider} (the JDK's engine when null). The verdicts are always the
     * JDK's trust manager's, over the JDK's roots and the user's. Two things spare a crawl's first connection work
     * that does not change them: a chain is first checked against the user's roots alone, so the JDK's roots are
     * read only for a site they do not sign; and with the native engine the signatures of the chain are checked in
     * its code, where the JDK's own, before the JIT compiles it, spends tens of milliseconds on its first one.
     */
    X509ExtendedTrustManager manager(Provider provider) throws GeneralSecurityException {
        if (verification == Verification.NONE) {
            return new TrustingEveryone();
        }
        String signatures = provider == null ? null : NativeTls.signatureProvider(provider);
        X509ExtendedTrustManager checked;
        if (userRoots != null) {
            X509ExtendedTrustManager quick = pkix(userRoots, signatures);
            checked = quick == null ? withUserRoots() : new QuickThenFull(quick, this::withUserRoots);
        } else {
            X509ExtendedTrustManager jdkTrust = defaults.read();
            X509ExtendedTrustManager quick = signatures == null ? null
                    : pkix(List.of(jdkTrust.getAcceptedIssuers()), signatures);
            checked = quick == null ? jdkTrust : new QuickThenFull(quick, () -> jdkTrust);
        }
        return provider == null ? checked : new NativeToJdk(checked);
    }

    /** The JDK's trust manager over its default roots and the user's. */
    private X509ExtendedTrustManager withUserRoots() throws GeneralSecurityException {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate root : defaults.read().getAcceptedIssuers()) {
                anchors.setCertificateEntry("jdk-" + n++, root);
            }
            for (X509Certificate root : userRoots) {
                anchors.setCertificateEntry("user-" + n++, root);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            return extended(tmf.getTrustManagers());
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot set up TLS trust: " + e.getMessage(), e);
        }
    }

    /**
     * The JDK's trust manager over {@code roots} alone, its certificate path checks finding signatures at
     * {@code signatures} (a provider's name; the JDK's choice when null), with revocation checked as the JDK's
     * default trust manager checks it (not, unless {@code com.sun.net.ssl.checkRevocation} is true); null when there
     * is no root.
     */
    private static X509ExtendedTrustManager pkix(List<X509Certificate> roots, String signatures)
            throws GeneralSecurityException {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate root : roots) {
            anchors.add(new TrustAnchor(root, null));
        }
        if (anchors.isEmpty()) {
            return null;
        }
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, new X509CertSelector());
        parameters.setRevocationEnabled(Boolean.getBoolean("com.sun.net.ssl.checkRevocation"));
        parameters.setSigProvider(signatures);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(new CertPathTrustManagerParameters(parameters));
        return extended(tmf.getTrustManagers());
    }

    private static X509ExtendedTrustManager extended(TrustManager[] managers) throws GeneralSecurityException {
        for (TrustManager tm : managers) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("the JDK has no X.509 trust manager");
    }

    private static Collection<? extends Certificate> read(Path file) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("certificate file " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "certificate file " + file + ": cannot read it (" + e.getMessage() + ")");
        } catch (CertificateException e) {
            throw new IllegalArgumentException("certificate file " + file + ": not PEM certificates");
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("certificate file " + file + ": holds no certificate");
        }
        return certificates;
    }

    private static X509ExtendedTrustManager defaultTrust() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        return extended(tmf.getTrustManagers());
    }

    /**
     * A chain checked by a quick trust manager, and by the full one only when the quick one rejects it, whose verdict
     * then stands. The quick one trusts some of the full one's roots and checks as it does, so what it accepts the
     * full one accepts: the server is trusted exactly when the full one trusts it. The full one is made on first
     * need, without a lock (two threads may both make it; either serves).
     */
    private static final class QuickThenFull extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager quick;
        private final DefaultTrust fullMaker;
        private final AtomicReference<X509ExtendedTrustManager> full = new AtomicReference<>();

        QuickThenFull(X509ExtendedTrustManager quick, DefaultTrust fullMaker) {
            this.quick = quick;
            this.fullMaker = fullMaker;
        }

        private X509ExtendedTrustManager full() throws CertificateException {
            X509ExtendedTrustManager made = full.get();
            if (made == null) {
                try {
                    made = fullMaker.read();
                } catch (GeneralSecurityException e) {
                    throw new CertificateException("cannot read the trusted roots: " + e.getMessage(), e);
                }
                full.compareAndSet(null, made);
            }
            return made;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            try {
                quick.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException | RuntimeException e) {
                full().checkServerTrusted(chain, authType, engine);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            try {
                quick.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException | RuntimeException e) {
                full().checkServerTrusted(chain, authType, socket);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                quick.checkServerTrusted(chain, authType);
            } catch (CertificateException | RuntimeException e) {
                full().checkServerTrusted(chain, authType);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            full().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            full().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            full().checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            try {
                return full().getAcceptedIssuers();
            } catch (CertificateException e) {
                return new X509Certificate[0];
            }
        }
    }

    /**
     * The JDK's trust manager as the native engine calls it. Over TLS 1.3 the native engine names the key exchange
     * {@code GENERIC} where the JDK's engine says {@code UNKNOWN}, and the JDK's checks know only the latter; so the
     * verdicts, and the reasons a page's error gives, are the JDK's whichever engine speaks TLS.
     */
    private static final class NativeToJdk extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager jdk;

        NativeToJdk(X509ExtendedTrustManager jdk) {
            this.jdk = jdk;
        }

        private static String jdkName(String authType) {
            return "GENERIC".equals(authType) ? "UNKNOWN" : authType;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            jdk.checkServerTrusted(chain, jdkName(authType), engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            jdk.checkServerTrusted(chain, jdkName(authType), socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            jdk.checkServerTrusted(chain, jdkName(authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            jdk.checkClientTrusted(chain, jdkName(authType), engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            jdk.checkClientTrusted(chain, jdkName(authType), socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            jdk.checkClientTrusted(chain, jdkName(authType));
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return jdk.getAcceptedIssuers();
        }
    }

    /** Accepts every server; as an extended trust manager, it also stands in for the JDK's host name check. */
    private static final class TrustingEveryone extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
