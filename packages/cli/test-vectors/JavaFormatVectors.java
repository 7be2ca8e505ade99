// Prints java-format-vectors.json: doubles (as IEEE-754 bits) and what Java's String.format makes of them
// with the three formats ProducerPerformance uses (%.1f, %.2f, %f). The values are the quotients that tool
// prints (records/sec, MB/sec, average latency) over a seeded range of counts and times, plus decimal ties.
// Regenerate: java packages/cli/test-vectors/JavaFormatVectors.java > packages/cli/test-vectors/java-format-vectors.json
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

public class JavaFormatVectors {
    public static void main(String[] args) {
        List<Double> values = new ArrayList<>();
        double[] ties = {0.05, 0.15, 0.25, 0.35, 0.45, 1.005, 1.015, 1.025, 2.675, 0.125, 0.375, 9.995, 99.995,
            0.0005, 0.00005, 1.0000005, 1234.5678905, 0.0, 1.0, 0.1, 0.9, 1e-7, 123456789.123456789, 4.35, 8.345};
        for (double tie : ties) values.add(tie);
        Random random = new Random(42);
        for (int i = 0; i < 400; i++) {
            long count = 1 + random.nextInt(2_000_000);
            long elapsed = 1 + random.nextInt(120_000);
            long bytes = count * (1 + random.nextInt(1000));
            long totalLatency = count * random.nextInt(3000) + random.nextInt(1000);
            values.add(1000.0 * count / (double) elapsed);
            values.add(1000.0 * bytes / (double) elapsed / (1024.0 * 1024.0));
            values.add(totalLatency / (double) count);
        }
        StringBuilder out = new StringBuilder("[\n");
        for (int i = 0; i < values.size(); i++) {
            double value = values.get(i);
            out.append(String.format("  {\"bits\": \"%016x\", \"f1\": \"%.1f\", \"f2\": \"%.2f\", \"f6\": \"%f\"}%s%n",
                Double.doubleToLongBits(value), value, value, value, i + 1 < values.size() ? "," : ""));
        }
        out.append("]");
        System.out.println(out);
    }
}
