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
 * (fc00::/7) and unspecified addresses, and IPv4-mapped IPv6 forms of them. The start URL's own host is exempt: the
 * user asked for it. Immutable.
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

    /** {@link #check}, resolving {@code target}'s host first: for a request whose connection is not ours to make. */
    void checkResolving(WebUrl target) throws RefusedAddress, UnknownHostException {
        if (refusePrivate) {
            check(target, InetAddress.getByName(target.address()));
        }
    }

    /**
     * The internal range {@code address} is in: {@code loopback}, {@code private}, {@code link-local},
     * {@code unique-local} or {@code unspecified}; {@code null} for a public address.
     */
    public static String internalRange(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            if (isMappedIpv4(b)) {
                try {
                    return internalRange(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException impossible) {
                    throw new AssertionError(impossible);
                }
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return "unique-local";
            }
        }
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address instanceof Inet4Address && address.isSiteLocalAddress()) {
            return "private";
        }
        if (address instanceof Inet4Address && (address.getAddress()[0] & 0xff) == 0) {
            return "unspecified"; // 0.0.0.0/8, "this network"
        }
        return null;
    }

    private static boolean isMappedIpv4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
