package dev.loomcrawl.internal.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcrawl.testkit.CertificateAuthority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Which TLS each client speaks: the lean client the native engine (the unit tests run with
 * {@code loomcrawl.tls=native}, which requires it), java.net.http the JDK's.
 */
class TlsTrustTest {

    // Over TLS 1.3 the JDK's trust manager is asked with this key exchange (see TlsTrust.NativeToJdk).
    private static final String AUTH_TYPE = "UNKNOWN";

    /** The native engine's provider, offered to the JDK's certificate checks as the crawl's first context does. */
    @BeforeAll
    static void offerTheNativeEnginesSignatures() {
        NativeTls.offerSignatures(NativeTls.provider());
    }

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

    /** As curl reads a {@code --cacert} bundle: certificate blocks, whatever lies between them, in any line ending. */
    @Test
    void aCertificateFileIsReadAsCurlReadsABundle(@TempDir Path dir) throws Exception {
        KeyPairGenerator keys = KeyPairGenerator.getInstance("EC");
        String key = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(keys.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        String bundle = "# a bundle's title\n" + key + "subject=CN=loomcrawl test CA\n" + users.pem()
                + "\nnot a certificate\n\n" + jdks.pem();
        Path crlf = Files.writeString(dir.resolve("bundle.pem"), bundle.replace("\n", "\r\n"));
        assertThat(TlsTrust.withCertificates(List.of(crlf), this::standInDefaults).userRoots())
                .containsExactly(users.certificate(), jdks.certificate());
        Path der = Files.write(dir.resolve("ca.der"), users.certificate().getEncoded());
        assertThat(TlsTrust.withCertificates(List.of(der, crlf), this::standInDefaults).userRoots())
                .containsExactly(users.certificate(), users.certificate(), jdks.certificate());

        Map<Path, String> refused = Map.of(
                Files.writeString(dir.resolve("key.pem"), key), "holds no certificate",
                Files.writeString(dir.resolve("empty.pem"), ""), "holds no certificate",
                Files.createDirectory(dir.resolve("certs")), "is a directory, not a PEM file",
                dir.resolve("missing.pem"), "no such file",
                Files.writeString(dir.resolve("broken.pem"), users.pem() + "-----BEGIN CERTIFICATE-----\nAAAA\n"
                        + "-----END CERTIFICATE-----\n"), "certificate 2 is not a valid certificate",
                Files.write(dir.resolve("junk.der"), new byte[] {0x30, 0x03, 1, 2, 3}), "neither PEM nor DER certificates");
        refused.forEach((file, reason) -> assertThatThrownBy(() -> TlsTrust.withCertificates(List.of(file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("certificate file " + file + ": " + reason));
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

    @Test
    void theJdksRootsAreCheckedInNativeCodeBeforeTheirOwnTrustManagerDecides() throws Exception {
        CountingTrust jdkTrust = new CountingTrust(trustManagerOver(jdks.certificate()));
        TlsTrust trust = TlsTrust.jdkDefaults(() -> jdkTrust);
        trust.manager(NativeTls.provider()).checkServerTrusted(chain(jdks, CertificateAuthority.Leaf.forLoopback()), AUTH_TYPE);
        assertThat(jdkTrust.checks).as("the quick check, with the native engine's signatures, accepted").hasValue(0);
        trust.manager(null).checkServerTrusted(chain(jdks, CertificateAuthority.Leaf.forLoopback()), AUTH_TYPE);
        assertThat(jdkTrust.checks).as("the JDK's engine asks the JDK's trust manager itself").hasValue(1);
    }

    @Test
    void aChainWithAnIntermediateIsCheckedAgainstAllTheRoots() throws Exception {
        CertificateAuthority intermediate = users.intermediate("loomcrawl test intermediate CA");
        X509Certificate[] chain = {intermediate.issue(CertificateAuthority.Leaf.forLoopback()).certificate(),
            intermediate.certificate(), users.certificate()};
        TlsTrust trust = TlsTrust.withCertificates(List.of(users.pemFile()), this::standInDefaults);
        for (Provider engine : engines()) {
            trust.manager(engine).checkServerTrusted(chain, AUTH_TYPE);
        }
        assertThat(defaultReads).as("an intermediate could stand for one of the JDK's roots").hasValue(2);
    }

    @Test
    void jdkRootsThatCannotBeReadFailTheChecksThatNeedThemAndAreTriedOnce() throws Exception {
        TlsTrust trust = TlsTrust.withCertificates(List.of(users.pemFile()), () -> {
            defaultReads.incrementAndGet();
            throw new GeneralSecurityException("keystore password was incorrect");
        });
        X509ExtendedTrustManager manager = trust.manager(NativeTls.provider());
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> manager.checkServerTrusted(chain(jdks, CertificateAuthority.Leaf.forLoopback()),
                    AUTH_TYPE)).isInstanceOf(CertificateException.class)
                    .hasMessage("cannot read the trusted roots: keystore password was incorrect");
        }
        manager.checkServerTrusted(chain(users, CertificateAuthority.Leaf.forLoopback()), AUTH_TYPE);
        assertThat(defaultReads).hasValue(1);
    }

    @RepeatedTest(5)
    void concurrentFirstChecksReadTheJdksRootsOnce() throws Exception {
        TlsTrust trust = TlsTrust.withCertificates(List.of(users.pemFile()), this::standInDefaults);
        X509ExtendedTrustManager manager = trust.manager(NativeTls.provider());
        X509Certificate[] chain = chain(jdks, CertificateAuthority.Leaf.forLoopback());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 16; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    manager.checkServerTrusted(chain, AUTH_TYPE);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(defaultReads).hasValue(1);
    }

    @Test
    void theFirstNativeContextOffersItsSignaturesToTheJdksChecks() throws Exception {
        Security.removeProvider(NativeTls.provider().getName());
        try {
            CountingTrust jdkTrust = new CountingTrust(trustManagerOver(jdks.certificate()));
            TlsTrust trust = TlsTrust.jdkDefaults(() -> jdkTrust);
            trust.leanContext();
            assertThat(Security.getProvider(NativeTls.provider().getName())).isNotNull();
            trust.manager(NativeTls.provider()).checkServerTrusted(chain(jdks, CertificateAuthority.Leaf.forLoopback()),
                    AUTH_TYPE);
            assertThat(jdkTrust.checks).hasValue(0);
        } finally {
            NativeTls.offerSignatures(NativeTls.provider());
        }
    }

    @Test
    void aContextThatChecksNoCertificateOffersNothing() throws Exception {
        Security.removeProvider(NativeTls.provider().getName());
        try {
            TlsTrust.insecure().leanContext();
            assertThat(Security.getProvider(NativeTls.provider().getName())).isNull();
        } finally {
            NativeTls.offerSignatures(NativeTls.provider());
        }
    }

    @ParameterizedTest
    @EnumSource(CertificateAuthority.KeyType.class)
    void theQuickCheckAcceptsTheCommonKindsOfChain(CertificateAuthority.KeyType keyType) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("loomcrawl test CA " + keyType, keyType);
        X509Certificate[] chain = chain(ca, CertificateAuthority.Leaf.forLoopback());
        TlsTrust users = TlsTrust.withCertificates(List.of(ca.pemFile()), this::standInDefaults);
        CountingTrust jdkTrust = new CountingTrust(trustManagerOver(ca.certificate()));
        TlsTrust defaults = TlsTrust.jdkDefaults(() -> jdkTrust);
        for (Provider engine : engines()) {
            users.manager(engine).checkServerTrusted(chain, AUTH_TYPE);
        }
        defaults.manager(NativeTls.provider()).checkServerTrusted(chain, AUTH_TYPE);
        assertThat(defaultReads).as("the user's root alone decided").hasValue(0);
        assertThat(jdkTrust.checks).as("the JDK's roots, with native signatures, decided").hasValue(0);
    }

    @Test
    void withTheJdksRootsAloneARejectedSiteGetsTheJdksVerdict() throws Exception {
        X509ExtendedTrustManager reference = trustManagerOver(jdks.certificate());
        TlsTrust trust = TlsTrust.jdkDefaults(() -> trustManagerOver(jdks.certificate()));
        CertificateAuthority unknown = CertificateAuthority.create("loomcrawl unknown CA");
        for (X509Certificate[] rejected : List.of(chain(jdks, CertificateAuthority.Leaf.expired()),
                chain(unknown, CertificateAuthority.Leaf.forLoopback()))) {
            String expected = message(() -> reference.checkServerTrusted(rejected, AUTH_TYPE));
            assertThat(expected).isNotNull();
            X509ExtendedTrustManager manager = trust.manager(NativeTls.provider());
            assertThat(message(() -> manager.checkServerTrusted(rejected, AUTH_TYPE))).isEqualTo(expected);
        }
    }

    /** A trust manager that counts the two-argument server checks it is asked. */
    private static final class CountingTrust extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        final AtomicInteger checks = new AtomicInteger();

        CountingTrust(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            checks.incrementAndGet();
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
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
