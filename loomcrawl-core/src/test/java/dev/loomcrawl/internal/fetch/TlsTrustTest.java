package dev.loomcrawl.internal.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.CertificateAuthority;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which TLS each client speaks: the lean client the native engine where it loads, java.net.http the JDK's. */
class TlsTrustTest {

    private static final boolean JDK_CHOSEN = "jdk".equals(System.getProperty(NativeTls.PROPERTY));

    @Test
    void theLeanClientSpeaksTheNativeEngineUnlessTheJdksIsChosen() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("loomcrawl test CA");
        for (TlsTrust trust : List.of(TlsTrust.jdkDefaults(), TlsTrust.withCertificates(List.of(ca.pemFile())),
                TlsTrust.insecure())) {
            assertThat(trust.leanContext().getProvider().getName()).isEqualTo(JDK_CHOSEN ? "SunJSSE" : "Conscrypt");
            assertThat(trust.jdkContext().getProvider().getName()).isEqualTo("SunJSSE");
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
