package dev.loomcrawl.internal.fetch;

import dev.loomcrawl.internal.url.WebUrl;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Predicate;

/**
 * Refuses to connect to internal addresses, judged on the address a host resolves to at connect time, so that
 * neither a redirect nor a name that resolves differently later (DNS rebinding) gets round it: loopback, private
 * (RFC 1918), link-local (169.254/16, the cloud metadata address among them; fe80::/10), unique-local IPv6
 * (fc00::/7) and unspecified addresses, and IPv4-mapped IPv6 forms of them. The start URL's own host is exempt, by
 * its name: the user asked for it. Only for direct connections: through a proxy, the proxy resolves and connects.
 * Immutable.
 *
 * @param refusePrivate whether internal addresses are refused at all
 * @param exempt the URLs whose host is exempt (the start URL's), tested with the target's origin
 */
public record AddressGuard(boolean refusePrivate, Predicate<String> exempt) {

    /** Every address allowed. */
    public static final AddressGuard NONE = new AddressGuard(false, url -> true);

    /** A connection refused because of where it leads: not requested, never retried. */
    public static final class RefusedAddress extends ConnectException {
        RefusedAddress(String message) {
            super(message);
        }
    }

    /** This guard with the start URL's host (as {@code exempt} tells URLs) exempt. */
    public AddressGuard exempting(Predicate<String> exempt) {
        return new AddressGuard(refusePrivate, exempt);
    }

    /**
     * Refuses {@code address} for a connection to {@code target} when it is internal and the target's host is not
     * exempt.
     *
     * @throws RefusedAddress saying {@code private address (loopback 127.0.0.1)}
     */
    void check(WebUrl target, InetAddress address) throws RefusedAddress {
        if (!refusePrivate) {
            return;
        }
        String range = internalRange(address);
        if (range != null && !exempt.test((target.tls() ? "https://" : "http://") + target.hostPort() + "/")) {
            throw new RefusedAddress("not requested: private address (" + range + " " + address.getHostAddress()
                    + ", --exclude-private)");
        }
    }

    /**
     * The internal range {@code address} is in: {@code loopback}, {@code private} (RFC 1918, and IPv6 site-local),
     * {@code shared} (100.64/10, carrier-grade NAT, where some clouds keep their metadata service),
     * {@code link-local}, {@code unique-local}, {@code special} (192.0.0/24, 198.18/15, the local NAT64 prefix) or
     * {@code unspecified}; {@code null} for a public address. An IPv4 address carried in IPv6 (mapped, compatible,
     * NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) is judged as that IPv4 address.
     */
    public static String internalRange(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            return internalRange6(v6.getAddress(), address);
        }
        byte[] b = address.getAddress();
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (address.isAnyLocalAddress() || first == 0) {
            return "unspecified"; // 0.0.0.0/8, "this network"
        }
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (first == 100 && (second & 0xc0) == 64) {
            return "shared";
        }
        if (first == 192 && second == 0 && (b[2] & 0xff) == 0 || first == 198 && (second & 0xfe) == 18) {
            return "special";
        }
        return null;
    }

    private static String internalRange6(byte[] b, InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "private"; // fec0::/10, deprecated but routable inside a site
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return "unique-local";
        }
        if (zeros(b, 0, 10) && (b[10] == (byte) 0xff && b[11] == (byte) 0xff || b[10] == 0 && b[11] == 0)) {
            return internalRange(ipv4(b, 12)); // ::ffff:a.b.c.d, and the old ::a.b.c.d
        }
        if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b) {
            if (zeros(b, 4, 12)) {
                return internalRange(ipv4(b, 12)); // NAT64, 64:ff9b::/96
            }
            if (b[4] == 0 && b[5] == 1) {
                return "special"; // 64:ff9b:1::/48, NAT64 for local use
            }
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return internalRange(ipv4(b, 2)); // 6to4, 2002:a.b.c.d::/48
        }
        return null;
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress ipv4(byte[] b, int at) {
        try {
            return InetAddress.getByAddress(new byte[] {b[at], b[at + 1], b[at + 2], b[at + 3]});
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }
}
