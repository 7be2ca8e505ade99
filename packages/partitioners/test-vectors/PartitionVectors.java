// Prints the test vectors for @x/partitioners as JSON, computed by the Java client itself (kafka-clients on
// the classpath): Utils.murmur2, Utils.toPositive and BuiltInPartitioner.partitionForKey for 10,000 keys from a
// seeded xorshift32 generator (the TypeScript test regenerates the same keys), for partition counts 1..1000.
// Run through ./regenerate.sh; the output is committed as ../src/__fixtures__/java-partitions.json.gz.

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;

public final class PartitionVectors {
    static final int SEED = 0x2545F491;
    static final int KEY_COUNT = 10_000;
    static final int MAX_KEY_LENGTH = 48;
    static final int MAX_PARTITIONS = 1_000;
    static final int FNV_OFFSET = 0x811c9dc5;
    static final int FNV_PRIME = 16777619;

    static int state = SEED;

    static int next() {
        int x = state;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        state = x;
        return x;
    }

    public static void main(String[] args) {
        byte[][] keys = new byte[KEY_COUNT][];
        int keyDigest = FNV_OFFSET;
        for (int i = 0; i < KEY_COUNT; i++) {
            int length = Integer.remainderUnsigned(next(), MAX_KEY_LENGTH + 1);
            byte[] key = new byte[length];
            for (int j = 0; j < length; j++) key[j] = (byte) next();
            keys[i] = key;
            keyDigest = (keyDigest ^ length) * FNV_PRIME;
            for (byte b : key) keyDigest = (keyDigest ^ (b & 0xff)) * FNV_PRIME;
        }

        StringBuilder out = new StringBuilder();
        out.append("{\n  \"generator\": \"packages/partitioners/test-vectors/PartitionVectors.java\",\n");
        out.append("  \"kafkaClients\": \"").append(args.length > 0 ? args[0] : "unknown").append("\",\n");
        out.append("  \"prng\": \"xorshift32 (13, 17, 5)\",\n");
        out.append("  \"seed\": ").append(SEED).append(",\n");
        out.append("  \"keyCount\": ").append(KEY_COUNT).append(",\n");
        out.append("  \"maxKeyLength\": ").append(MAX_KEY_LENGTH).append(",\n");
        out.append("  \"keyDigest\": ").append(keyDigest).append(",\n");
        out.append("  \"digest\": \"FNV-1a over 32-bit values: h = (h ^ v) * 16777619, from 0x811c9dc5\",\n");

        out.append("  \"murmur2\": [");
        for (int i = 0; i < KEY_COUNT; i++) {
            if (i > 0) out.append(',');
            out.append(Utils.murmur2(keys[i]));
        }
        out.append("],\n");

        out.append("  \"toPositive\": [");
        for (int i = 0; i < KEY_COUNT; i++) {
            if (i > 0) out.append(',');
            out.append(Utils.toPositive(Utils.murmur2(keys[i])));
        }
        out.append("],\n");

        // partitionDigests[n - 1] digests the partitions of all keys, in key order, for n partitions.
        out.append("  \"maxPartitions\": ").append(MAX_PARTITIONS).append(",\n");
        out.append("  \"partitionDigests\": [");
        for (int n = 1; n <= MAX_PARTITIONS; n++) {
            int digest = FNV_OFFSET;
            for (int i = 0; i < KEY_COUNT; i++) {
                digest = (digest ^ BuiltInPartitioner.partitionForKey(keys[i], n)) * FNV_PRIME;
            }
            if (n > 1) out.append(',');
            out.append(digest);
        }
        out.append("],\n");

        // Full placements for a few partition counts, so a mismatch names the key.
        int[] sampled = {3, 7, 12, 100, 997, 1000};
        out.append("  \"sampledPartitions\": {");
        for (int s = 0; s < sampled.length; s++) {
            if (s > 0) out.append(',');
            out.append("\n    \"").append(sampled[s]).append("\": [");
            for (int i = 0; i < KEY_COUNT; i++) {
                if (i > 0) out.append(',');
                out.append(BuiltInPartitioner.partitionForKey(keys[i], sampled[s]));
            }
            out.append(']');
        }
        out.append("\n  }\n}\n");
        System.out.print(out);
    }
}
