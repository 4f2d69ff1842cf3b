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
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

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

    private static final TlsTrust JDK_DEFAULTS = new TlsTrust(null, null);

    /** The trust managers, or null for the JDK's default trust; unused when {@link #given} is set. */
    private final TrustManager[] trustManagers;
    /** A context the user made, or null. */
    private final SSLContext given;
    private SSLContext lean;
    private SSLContext jdk;

    private TlsTrust(TrustManager[] trustManagers, SSLContext given) {
        this.trustManagers = trustManagers;
        this.given = given;
    }

    /** What the JDK trusts: its default trust store, or the one {@code javax.net.ssl.trustStore} names. */
    public static TlsTrust jdkDefaults() {
        return JDK_DEFAULTS;
    }

    /** This context, for both clients, as it is: its provider's TLS, its trust. */
    public static TlsTrust of(SSLContext context) {
        return context == null ? JDK_DEFAULTS : new TlsTrust(null, context);
    }

    /**
     * What the JDK trusts and, in addition, every certificate in {@code pemFiles} (each file holds one or more PEM
     * certificates) as a root.
     *
     * @throws IllegalArgumentException naming the file when one cannot be read or holds no certificate
     */
    public static TlsTrust withCertificates(List<Path> pemFiles) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate root : defaultTrust().getAcceptedIssuers()) {
                anchors.setCertificateEntry("jdk-" + n++, root);
            }
            for (Path file : pemFiles) {
                for (Certificate c : read(file)) {
                    anchors.setCertificateEntry("user-" + n++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            return new TlsTrust(tmf.getTrustManagers(), null);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS trust: " + e.getMessage(), e);
        }
    }

    /**
     * Checks neither certificates nor host names, as curl's {@code --insecure}: anyone between the crawler and the
     * site can read and change what it fetches.
     */
    public static TlsTrust insecure() {
        return new TlsTrust(new TrustManager[] {new TrustingEveryone()}, null);
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
            jdk = given != null ? given : trustManagers == null ? SSLContext.getDefault() : make(null);
        }
        return jdk;
    }

    /** A TLS context of {@code provider} (the JDK's when null) with this trust. */
    private SSLContext make(Provider provider) throws GeneralSecurityException {
        SSLContext context = provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", provider);
        TrustManager[] managers = trustManagers == null ? new TrustManager[] {defaultTrust()} : trustManagers.clone();
        if (provider != null) {
            for (int i = 0; i < managers.length; i++) {
                if (managers[i] instanceof X509ExtendedTrustManager jdkManager) {
                    managers[i] = new NativeToJdk(jdkManager);
                }
            }
        }
        context.init(null, managers, null);
        return context;
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

    private static X509TrustManager defaultTrust() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("the JDK has no X.509 trust manager");
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
