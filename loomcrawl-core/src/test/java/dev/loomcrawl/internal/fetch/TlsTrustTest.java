package dev.loomcrawl.internal.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.CertificateAuthority;
import java.util.List;
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
}
