package dev.loomcrawl.internal.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSearchTest {

    private static int plainIndexOf(byte[] b, byte target, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == target) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheFirstMatchAtEveryAlignmentLikeAPlainLoop() {
        Random rng = new Random(5);
        byte[] alphabet = {'<', '>', 'a', ' ', (byte) 0xBC, (byte) 0x3D, (byte) 0x80, (byte) 0xFF, 0, (byte) 0x3B};
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] b = new byte[rng.nextInt(40)];
            int density = 1 + rng.nextInt(20);
            for (int i = 0; i < b.length; i++) {
                b[i] = rng.nextInt(density) == 0 ? (byte) '<' : alphabet[1 + rng.nextInt(alphabet.length - 1)];
            }
            int from = b.length == 0 ? 0 : rng.nextInt(b.length + 1);
            int to = from + rng.nextInt(b.length - from + 1);
            assertThat(ByteSearch.indexOf(b, (byte) '<', from, to)).isEqualTo(plainIndexOf(b, (byte) '<', from, to));
        }
    }
}
