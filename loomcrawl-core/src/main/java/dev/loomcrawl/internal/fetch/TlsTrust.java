package dev.loomcrawl.internal.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
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
 * The TLS contexts a crawl can trust servers with, besides the JDK's default: the JDK's trusted roots plus
 * certificates of the user's (as curl's {@code --cacert} and wget's {@code --ca-certificate} are used, for staging
 * sites and TLS-inspecting proxies), or no verification at all. Both serve the lean client and {@code java.net.http}
 * alike.
 */
public final class TlsTrust {

    private TlsTrust() {}

    /**
     * A context that trusts what the JDK trusts and, in addition, every certificate in {@code pemFiles} (each file
     * holds one or more PEM certificates) as a root.
     *
     * @throws IllegalArgumentException naming the file when one cannot be read or holds no certificate
     */
    public static SSLContext withCertificates(List<Path> pemFiles) {
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
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS trust: " + e.getMessage(), e);
        }
    }

    /**
     * A context that checks neither certificates nor host names, as curl's {@code --insecure}: anyone between the
     * crawler and the site can read and change what it fetches.
     */
    public static SSLContext insecure() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingEveryone()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> read(Path file) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("certificate file " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("certificate file " + file + ": cannot read it (" + e.getMessage() + ")");
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
