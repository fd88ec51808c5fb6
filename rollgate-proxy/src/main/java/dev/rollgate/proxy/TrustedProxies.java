package dev.rollgate.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks whose X-Forwarded-For / -Proto / -Host the front door keeps (nginx's
 * {@code set_real_ip_from}): CIDRs or single addresses, IPv4 or IPv6. Any other peer's are replaced.
 */
final class TrustedProxies {

    static final TrustedProxies NONE = new TrustedProxies(List.of());

    /** One network: its address bytes and how many leading bits of them must match. */
    private record Network(byte[] base, int bits) {
        boolean contains(byte[] a) {
            if (base.length != a.length) return false;
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) if (base[i] != a[i]) return false;
            int rest = bits % 8;
            if (rest == 0) return true;
            int mask = (0xff << (8 - rest)) & 0xff;
            return (base[whole] & mask) == (a[whole] & mask);
        }
    }

    private final List<Network> networks;

    private TrustedProxies(List<Network> networks) {
        this.networks = networks;
    }

    /** "10.0.0.0/8", "::1", "192.168.1.7"; an address that does not parse, or a prefix out of range, is named in the exception. */
    static TrustedProxies of(List<String> cidrs) throws UnknownHostException {
        List<Network> nets = new ArrayList<>();
        for (String s : cidrs) {
            int slash = s.indexOf('/');
            byte[] base = InetAddress.getByName(slash < 0 ? s : s.substring(0, slash)).getAddress();
            int bits;
            try {
                bits = slash < 0 ? base.length * 8 : Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new UnknownHostException("prefix length is not a number in " + s);
            }
            if (bits < 0 || bits > base.length * 8) throw new UnknownHostException("prefix length out of range in " + s);
            nets.add(new Network(base, bits));
        }
        return new TrustedProxies(List.copyOf(nets));
    }

    /** Whether {@code peer} (null when unknown) is in one of the networks. */
    boolean trusts(InetAddress peer) {
        if (networks.isEmpty() || peer == null) return false;
        byte[] a = peer.getAddress();
        for (Network n : networks) if (n.contains(a)) return true;
        return false;
    }
}
