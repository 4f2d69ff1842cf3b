package dev.loomcrawl.internal.fetch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * JDK's default trust (its {@code cacerts}, or what {@code javax.net.ssl.trustStore} names) is read when a check
 * first needs it, which with the user's roots is for a site they do not sign (see {@link #manager}). An
 * application's {@link SSLContext#setDefault} reaches {@code java.net.http} and the JDK's engine only.
 * Thread-safe.
 */
public final class TlsTrust {

    /** How a check's failure begins when the JDK's roots could not be read: a page's error says it as it is. */
    public static final String UNREADABLE_ROOTS = "cannot read the trusted roots: ";

    private static final TrustMaker JDK_TRUST = TlsTrust::defaultTrust;
    private static final TlsTrust JDK_DEFAULTS = new TlsTrust(Verification.CERTIFICATES, null, null, JDK_TRUST);

    /** Whether certificates are checked at all. */
    private enum Verification { CERTIFICATES, NONE }

    private final Verification verification;
    /** The user's roots, trusted besides the JDK's; null when only the JDK's are. */
    private final List<X509Certificate> userRoots;
    /** A context the user made, or null. */
    private final SSLContext given;
    /** The JDK's trust over its default roots, made when first needed. */
    private final TrustMaker defaults;
    private final MadeOnce<SSLContext> lean = new MadeOnce<>(this::makeLeanContext);
    private final MadeOnce<SSLContext> jdk = new MadeOnce<>(this::makeJdkContext);

    private TlsTrust(Verification verification, List<X509Certificate> userRoots, SSLContext given,
                     TrustMaker defaults) {
        this.verification = verification;
        this.userRoots = userRoots;
        this.given = given;
        this.defaults = defaults;
    }

    /** A trust manager made when first needed: the JDK's over its default roots (read from its trust store), say. */
    @FunctionalInterface
    interface TrustMaker extends MadeOnce.Maker<X509ExtendedTrustManager> {}

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
    static TlsTrust withCertificates(List<Path> pemFiles, TrustMaker defaults) {
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

    /** The roots read from the user's files, in their order; {@code null} when there are none. */
    List<X509Certificate> userRoots() {
        return userRoots;
    }

    /** The JDK's trust as {@code defaults} stands for it, with no roots of the user's. */
    static TlsTrust jdkDefaults(TrustMaker defaults) {
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
     * @throws GeneralSecurityException when no TLS implementation can be set up (and each time after)
     * @throws IllegalStateException likewise, when {@code loomcrawl.tls=native} asks for a native engine that does
     *     not load
     * @throws InterruptedException when interrupted while another thread makes the context
     */
    SSLContext leanContext() throws GeneralSecurityException, InterruptedException {
        return lean.get();
    }

    private SSLContext makeLeanContext() throws GeneralSecurityException {
        return given != null ? given : nativeContext();
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
        return makeJdkContext(); // its own: waiting for jdkContext() here could keep an interrupt as a failure
    }

    /**
     * {@code java.net.http}'s context: the given one, else the JDK's with this trust.
     *
     * @throws GeneralSecurityException when the JDK has no TLS (and each time after)
     * @throws InterruptedException when interrupted while another thread makes the context
     */
    SSLContext jdkContext() throws GeneralSecurityException, InterruptedException {
        return jdk.get();
    }

    private SSLContext makeJdkContext() throws GeneralSecurityException {
        return given != null ? given
                : verification == Verification.CERTIFICATES && userRoots == null && defaults == JDK_TRUST
                ? SSLContext.getDefault() : make(null);
    }

    /**
     * A TLS context of {@code provider} (the JDK's when null) with this trust. When certificates are checked, a
     * native engine's provider is then offered to the JDK's certificate checks ({@link NativeTls#offerSignatures}),
     * which its trust manager names.
     */
    private SSLContext make(Provider provider) throws GeneralSecurityException {
        SSLContext context = provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", provider);
        context.init(null, new TrustManager[] {manager(provider)}, null);
        if (provider != null && verification == Verification.CERTIFICATES) {
            NativeTls.offerSignatures(provider);
        }
        return context;
    }

    /**
     * The trust manager of a context of {@code provider} (the JDK's engine when null). The verdicts are the JDK's
     * trust manager's, over the JDK's roots and the user's. Two things spare a crawl's first connection work that
     * does not change them (see {@link QuickThenFull}): a chain whose certificates above its leaf are all the user's
     * roots is first checked against those roots alone, so the JDK's roots are read only for other sites; and with
     * the native engine, the signatures in a chain are verified by its provider, not by the JDK's own code, whose
     * first P-256 verification in a JVM builds a large table in code the JIT has not compiled yet.
     */
    X509ExtendedTrustManager manager(Provider provider) throws GeneralSecurityException {
        if (verification == Verification.NONE) {
            return new TrustingEveryone();
        }
        String signatures = provider == null ? null : provider.getName();
        X509ExtendedTrustManager checked;
        if (userRoots != null) {
            X509ExtendedTrustManager quick = pkix(userRoots, signatures);
            checked = quick == null ? withUserRoots()
                    : new QuickThenFull(quick, this::onlyUserRootsAbove, this::withUserRoots);
        } else {
            X509ExtendedTrustManager jdkTrust = defaults.make();
            X509ExtendedTrustManager quick = signatures == null ? null
                    : pkix(List.of(jdkTrust.getAcceptedIssuers()), signatures);
            checked = quick == null ? jdkTrust : new QuickThenFull(quick, chain -> true, () -> jdkTrust);
        }
        return provider == null ? checked : new NativeToJdk(checked);
    }

    /**
     * Whether every certificate of {@code chain} above its leaf is one of the user's roots. Only then is the user's
     * roots' verdict the JDK's over all the roots: the JDK's validator ends a chain at its first certificate that
     * is a trusted root (or has one's name and key), and the checks that follow depend on that root, so an
     * intermediate that stands for one of the JDK's roots (a cross-signed copy, say) must meet them. One case is
     * left: a user's root with the name and key of one of the JDK's roots, but other bytes, that signs leaves itself.
     * The JDK's validator then takes either as the anchor, in no set order; the quick check takes the user's.
     */
    private boolean onlyUserRootsAbove(X509Certificate[] chain) {
        for (int i = 1; i < chain.length; i++) {
            if (!userRoots.contains(chain[i])) {
                return false;
            }
        }
        return true;
    }

    /** The JDK's trust manager over its default roots and the user's. */
    private X509ExtendedTrustManager withUserRoots() throws GeneralSecurityException {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate root : defaults.make().getAcceptedIssuers()) {
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
     * The JDK's PKIX trust manager over {@code roots} alone, its certificate path checks finding signatures at
     * {@code signatures} (a provider's name; the JDK's choice when null), with revocation checked when the JDK's
     * default trust manager checks it ({@code com.sun.net.ssl.checkRevocation}, read now). Null when there is no root, or when
     * the JDK's default trust manager is not PKIX ({@code ssl.TrustManagerFactory.algorithm}): a quick check must
     * be the same validator as the full one.
     */
    private static X509ExtendedTrustManager pkix(List<X509Certificate> roots, String signatures)
            throws GeneralSecurityException {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate root : roots) {
            anchors.add(new TrustAnchor(root, null));
        }
        if (anchors.isEmpty() || !"PKIX".equalsIgnoreCase(TrustManagerFactory.getDefaultAlgorithm())) {
            return null;
        }
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, new X509CertSelector());
        // the property the JDK's validator reads once, when it loads: by now, or at this crawl's first check
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

    /** A PEM certificate block; what lies between blocks (keys, CRLs, comments, a bundle's titles) is passed over. */
    private static final Pattern PEM_CERTIFICATE =
            Pattern.compile("-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", Pattern.DOTALL);

    /**
     * The certificates in a file: its PEM certificate blocks, as curl reads a {@code --cacert} bundle (other PEM
     * blocks, such as a private key beside a certificate, are passed over), or else one DER certificate or a
     * PKCS#7 bundle.
     */
    private static Collection<? extends Certificate> read(Path file) {
        String name = "certificate file " + file;
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(name + ": is a directory, not a PEM file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(name + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": cannot read it (" + e.getMessage() + ")");
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<Certificate> certificates = new ArrayList<>();
            Matcher block = PEM_CERTIFICATE.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
            while (block.find()) {
                byte[] pem = block.group().getBytes(StandardCharsets.ISO_8859_1);
                try {
                    certificates.add(factory.generateCertificate(new ByteArrayInputStream(pem)));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException(name + ": certificate " + (certificates.size() + 1)
                            + " is not a valid certificate");
                }
            }
            if (certificates.isEmpty() && bytes.length > 0 && bytes[0] == 0x30) { // an ASN.1 sequence: DER
                try {
                    certificates.addAll(factory.generateCertificates(new ByteArrayInputStream(bytes)));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException(name + ": neither PEM nor DER certificates");
                }
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(
                        name + ": holds no certificate (no -----BEGIN CERTIFICATE----- block)");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
    }

    private static X509ExtendedTrustManager defaultTrust() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        return extended(tmf.getTrustManagers());
    }

    /**
     * A chain checked by a quick trust manager when it {@code applies}, and by the full one when the quick one
     * rejects it or does not apply; the full one's verdict then stands. Where it applies, the quick one checks as the
     * full one does with some of its roots, so what it accepts the full one accepts: a server is trusted exactly when
     * the full one trusts it. The full one is made once, on first need, by the first thread that needs it, without a
     * lock: others wait for it, or for its failure, which is kept.
     */
    private static final class QuickThenFull extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager quick;
        private final Predicate<X509Certificate[]> applies;
        private final MadeOnce<X509ExtendedTrustManager> full;

        QuickThenFull(X509ExtendedTrustManager quick, Predicate<X509Certificate[]> applies, TrustMaker fullMaker) {
            this.quick = quick;
            this.applies = applies;
            this.full = new MadeOnce<>(fullMaker);
        }

        private X509ExtendedTrustManager full() throws CertificateException {
            try {
                return full.get();
            } catch (GeneralSecurityException | IllegalStateException e) {
                Throwable why = e;
                while (why.getCause() != null) {
                    why = why.getCause(); // the JDK says "problem accessing trust store" around what went wrong
                }
                String reason = why.getMessage() != null ? why.getMessage() : why.getClass().getSimpleName();
                throw new CertificateException(UNREADABLE_ROOTS + reason, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the crawl is stopping: this handshake fails, the interrupt stays
                throw new CertificateException("interrupted while the trusted roots were read", e);
            }
        }

        /** One of the trust manager's checks, made on the manager given. */
        private interface Check {
            void on(X509ExtendedTrustManager manager) throws CertificateException;
        }

        private void quickThenFull(X509Certificate[] chain, Check check) throws CertificateException {
            if (chain != null && applies.test(chain)) {
                try {
                    check.on(quick);
                    return;
                } catch (CertificateException | RuntimeException | LinkageError e) {
                    // the full check decides, and says why
                }
            }
            check.on(full());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            quickThenFull(chain, m -> m.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            quickThenFull(chain, m -> m.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            quickThenFull(chain, m -> m.checkServerTrusted(chain, authType));
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
