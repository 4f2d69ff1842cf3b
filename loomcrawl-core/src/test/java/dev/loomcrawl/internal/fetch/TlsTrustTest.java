package dev.loomcrawl.internal.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcrawl.testkit.CertificateAuthority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/**
 * Which TLS each client speaks: the lean client the native engine (the unit tests run with
 * {@code loomcrawl.tls=native}, which requires it), java.net.http the JDK's.
 */
class TlsTrustTest {

    @Test
    void theLeanClientSpeaksTheNativeEngineUnlessTheJdksIsChosen() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("loomcrawl test CA");
        for (TlsTrust trust : List.of(TlsTrust.jdkDefaults(), TlsTrust.withCertificates(List.of(ca.pemFile())),
                TlsTrust.insecure())) {
            assertThat(trust.leanContext().getProvider().getName()).isEqualTo("Conscrypt");
            assertThat(trust.jdkContext().getProvider().getName()).isEqualTo("SunJSSE");
        }
    }

    @Test
    void aTlsPolicyOfTheJdksPropertiesChoosesTheJdksEngine() throws Exception {
        String choice = System.clearProperty(NativeTls.PROPERTY);
        try {
            System.setProperty("jdk.tls.client.protocols", "TLSv1.3");
            assertThat(TlsTrust.insecure().leanContext().getProvider().getName()).isEqualTo("SunJSSE");
            System.clearProperty("jdk.tls.client.protocols");
            System.setProperty("jdk.tls.client.cipherSuites", "TLS_AES_128_GCM_SHA256");
            assertThat(TlsTrust.insecure().leanContext().getProvider().getName()).isEqualTo("SunJSSE");
        } finally {
            System.clearProperty("jdk.tls.client.protocols");
            System.clearProperty("jdk.tls.client.cipherSuites");
            if (choice != null) {
                System.setProperty(NativeTls.PROPERTY, choice);
            }
        }
    }

    @Test
    void aContextTheCallerMadeServesBothClientsAsItIs() throws Exception {
        javax.net.ssl.SSLContext given = CertificateAuthority.create("loomcrawl test CA").clientContext();
        TlsTrust trust = TlsTrust.of(given);
        assertThat(trust.leanContext()).isSameAs(given);
        assertThat(trust.jdkContext()).isSameAs(given);
    }

    // Over TLS 1.3 the JDK's trust manager is asked with this key exchange (see TlsTrust.NativeToJdk).
    private static final String AUTH_TYPE = "UNKNOWN";

    private final CertificateAuthority users = CertificateAuthority.create("loomcrawl test CA");
    private final CertificateAuthority jdks = CertificateAuthority.create("loomcrawl stand-in for a JDK root");
    private final AtomicInteger defaultReads = new AtomicInteger();

    /** The JDK's trust as these tests stand for it: a trust manager over {@link #jdks} alone, counted when read. */
    private X509ExtendedTrustManager standInDefaults() throws GeneralSecurityException {
        defaultReads.incrementAndGet();
        return trustManagerOver(jdks.certificate());
    }

    private static X509ExtendedTrustManager trustManagerOver(X509Certificate... roots) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < roots.length; i++) {
            store.setCertificateEntry("root-" + i, roots[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(store);
        return (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
    }

    private static X509Certificate[] chain(CertificateAuthority ca, CertificateAuthority.Leaf leaf) {
        return new X509Certificate[] {ca.issue(leaf).certificate(), ca.certificate()};
    }

    /** The trust managers of both engines: the native one's (the unit tests require it) and the JDK's. */
    private static List<Provider> engines() {
        List<Provider> engines = new ArrayList<>();
        engines.add(NativeTls.provider());
        engines.add(null);
        return engines;
    }

    @Test
    void aSiteTheUsersRootSignsIsTrustedWithoutReadingTheJdksRoots() throws Exception {
        TlsTrust trust = TlsTrust.withCertificates(List.of(users.pemFile()), this::standInDefaults);
        for (Provider engine : engines()) {
            trust.manager(engine).checkServerTrusted(chain(users, CertificateAuthority.Leaf.forLoopback()), AUTH_TYPE);
        }
        assertThat(defaultReads).hasValue(0);
    }

    @Test
    void aSiteAJdkRootSignsIsTrustedBesideTheUsersRoots() throws Exception {
        TlsTrust trust = TlsTrust.withCertificates(List.of(users.pemFile()), this::standInDefaults);
        for (Provider engine : engines()) {
            X509ExtendedTrustManager manager = trust.manager(engine);
            manager.checkServerTrusted(chain(jdks, CertificateAuthority.Leaf.forLoopback()), AUTH_TYPE);
            manager.checkServerTrusted(chain(jdks, CertificateAuthority.Leaf.forLoopback()), AUTH_TYPE);
        }
        assertThat(defaultReads).as("read once for each engine's trust manager, on its first need").hasValue(2);
    }

    @Test
    void aRejectedSiteGetsTheVerdictOfTheJdksTrustOverBothRootsTogether() throws Exception {
        CertificateAuthority unknown = CertificateAuthority.create("loomcrawl unknown CA");
        X509ExtendedTrustManager reference = trustManagerOver(jdks.certificate(), users.certificate());
        TlsTrust trust = TlsTrust.withCertificates(List.of(users.pemFile()), this::standInDefaults);
        for (X509Certificate[] rejected : List.of(chain(users, CertificateAuthority.Leaf.expired()),
                chain(unknown, CertificateAuthority.Leaf.forLoopback()))) {
            String expected = message(() -> reference.checkServerTrusted(rejected, AUTH_TYPE));
            assertThat(expected).isNotNull();
            for (Provider engine : engines()) {
                X509ExtendedTrustManager manager = trust.manager(engine);
                assertThat(message(() -> manager.checkServerTrusted(rejected, AUTH_TYPE))).isEqualTo(expected);
            }
        }
    }

    @Test
    void aLeafNamingTheTrustedRootButSignedByAnotherKeyIsRejected() throws Exception {
        CertificateAuthority forger = CertificateAuthority.create("loomcrawl test CA"); // the users' CA's name
        X509Certificate[] forged = {forger.issue(CertificateAuthority.Leaf.forLoopback()).certificate(),
            users.certificate()};
        for (TlsTrust trust : List.of(TlsTrust.withCertificates(List.of(users.pemFile()), this::standInDefaults),
                TlsTrust.jdkDefaults(() -> trustManagerOver(users.certificate())))) {
            for (Provider engine : engines()) {
                X509ExtendedTrustManager manager = trust.manager(engine);
                assertThatThrownBy(() -> manager.checkServerTrusted(forged, AUTH_TYPE))
                        .isInstanceOf(CertificateException.class);
                manager.checkServerTrusted(chain(users, CertificateAuthority.Leaf.forLoopback()), AUTH_TYPE);
            }
        }
    }

    private interface Check {
        void run() throws CertificateException;
    }

    /** The message of the exception {@code check} throws, or null when it passes. */
    private static String message(Check check) {
        try {
            check.run();
            return null;
        } catch (CertificateException e) {
            return e.getMessage();
        }
    }
}
