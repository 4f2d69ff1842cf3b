package dev.loomcrawl.internal.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcrawl.internal.url.WebUrl;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The ranges --exclude-private refuses, classified from addresses given as literals: nothing is connected to. */
class AddressGuardTest {

    private static InetAddress literal(String address) throws UnknownHostException {
        return InetAddress.getByName(address); // a literal is parsed, never looked up
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "127.0.0.1, loopback", "127.255.255.254, loopback", "::1, loopback",
        "10.0.0.1, private", "10.255.255.255, private", "172.16.0.1, private", "172.31.255.255, private",
        "192.168.1.1, private",
        "169.254.169.254, link-local", "169.254.0.1, link-local", "fe80::1, link-local",
        "fc00::1, unique-local", "fd12:3456::1, unique-local",
        "0.0.0.0, unspecified", "::, unspecified", "0.1.2.3, unspecified",
        "::ffff:10.0.0.1, private", "::ffff:127.0.0.1, loopback", "::ffff:169.254.169.254, link-local",
        "100.64.0.1, shared", "100.100.100.200, shared", "100.127.255.254, shared",
        "192.0.0.192, special", "198.18.0.1, special", "198.19.255.255, special",
        "fec0::1, private", "::10.0.0.1, private", "64:ff9b::a9fe:a9fe, link-local", "64:ff9b::7f00:1, loopback",
        "64:ff9b:1::1, special", "2002:a00:1::1, private", "2002:7f00:1::1, loopback",
    })
    void internalAddressesAreClassified(String address, String range) throws Exception {
        assertThat(AddressGuard.internalRange(literal(address))).isEqualTo(range);
    }

    @ParameterizedTest
    @CsvSource({"8.8.8.8", "172.15.255.255", "172.32.0.1", "192.169.0.1", "169.255.0.1", "11.0.0.1", "1.1.1.1",
        "100.63.255.255", "100.128.0.1", "192.0.1.1", "198.20.0.1", "198.17.255.255",
        "2001:4860:4860::8888", "2606:4700::1111", "fbff::1", "fe00::1", "64:ff9b::808:808", "2002:808:808::1"})
    void publicAddressesAreNot(String address) throws Exception {
        assertThat(AddressGuard.internalRange(literal(address))).isNull();
    }

    @Test
    void theGuardRefusesAnInternalAddressUnlessTheHostIsExemptOrItIsOff() throws Exception {
        WebUrl metadata = WebUrl.parse("http://metadata.example/latest/");
        AddressGuard guard = new AddressGuard(true, url -> url.equals("https://own.example/"));
        assertThatThrownBy(() -> guard.check(metadata, literal("169.254.169.254")))
                .isInstanceOf(AddressGuard.RefusedAddress.class)
                .hasMessage("not requested: private address (link-local 169.254.169.254, --exclude-private)");
        guard.check(WebUrl.parse("https://own.example/a"), literal("10.0.0.1")); // the start's host: exempt
        guard.check(metadata, literal("93.184.215.14")); // public
        AddressGuard.NONE.check(metadata, literal("169.254.169.254"));
    }
}
