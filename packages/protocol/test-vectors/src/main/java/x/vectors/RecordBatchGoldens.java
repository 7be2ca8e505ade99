package x.vectors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Golden RecordBatch v2 vectors from Apache Kafka's own MemoryRecordsBuilder (kafka-clients 4.4.0).
 *
 * <ul>
 *   <li>{@code generate <file.json>}: builds one batch per case (every codec, idempotent and transactional
 *       producer state, a control batch, a rewritten producer state) and writes inputs and hex bytes.</li>
 *   <li>{@code verify <ours.tsv>}: reads {@code name<TAB>hex} lines of batches our TypeScript builder wrote for
 *       the same cases, and checks each with Kafka's reader: {@code ensureValid()} (CRC, sizes), the header
 *       fields and every record. Prints "N passed, N failed"; exits 1 on any failure.</li>
 * </ul>
 * Deterministic: the same cases come out on every run, so "verify" rebuilds them to compare against.
 */
public final class RecordBatchGoldens {
    static final long BASE_TIMESTAMP = 1_700_000_000_000L;

    record Rec(long timestamp, byte[] key, byte[] value, Header[] headers) {}

    record Case(String name, String compression, long baseOffset, long producerId, short producerEpoch,
                int baseSequence, boolean transactional, boolean control, int partitionLeaderEpoch,
                String recordSet, Rewrite rewrite) {
        List<Rec> records() {
            return RecordBatchGoldens.recordSet(recordSet);
        }
    }

    /** The inputs, by name: "mixed-N" (N records of every shape), "bulk" (the benchmark's), "null", "none". */
    static List<Rec> recordSet(String name) {
        if (name.startsWith("mixed-")) return mixedRecords(Integer.parseInt(name.substring(6)));
        return switch (name) {
            case "bulk" -> bulkRecords();
            case "null" -> List.of(new Rec(BASE_TIMESTAMP, null, null, new Header[0]));
            case "none" -> List.of();
            default -> throw new IllegalArgumentException(name);
        };
    }

    record Rewrite(long producerId, short producerEpoch, int baseSequence, boolean transactional) {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Keys and values of every shape: null, empty, short, long; headers with null, unicode and no values. */
    static List<Rec> mixedRecords(int n) {
        List<Rec> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long ts = BASE_TIMESTAMP + (i * 37L % 11) * 1000 - 3000 + i;
            if (i == n - 1) ts = BASE_TIMESTAMP + 3_000_000_000L; // delta beyond 32 bits: a long varlong
            byte[] key = i % 5 == 4 ? null : i % 9 == 8 ? new byte[0] : utf8("key-" + i);
            byte[] value = i % 7 == 6 ? null : i % 10 == 9 ? new byte[0]
                    : utf8("value " + i + " " + "lorem ipsum dolor sit amet ".repeat(i % 4 * 3));
            Header[] headers;
            if (i % 3 == 0) {
                headers = new Header[] {new RecordHeader("trace-id", utf8("t" + i)), new RecordHeader("nullable", null)};
            } else if (i % 3 == 1) {
                headers = new Header[] {new RecordHeader("ключ-ü-🙂", new byte[] {1, 2, 3, (byte) i})};
            } else {
                headers = new Header[0];
            }
            out.add(new Rec(ts, key, value, headers));
        }
        return out;
    }

    /** The benchmark's shape: 1,000 records with 100-byte, fairly compressible values. */
    static List<Rec> bulkRecords() {
        List<Rec> out = new ArrayList<>();
        String words = "the quick brown fox jumps over the lazy dog while kafka batches records per partition ";
        for (int i = 0; i < 1000; i++) {
            String v = (i + ": " + words + words).substring(0, 100);
            out.add(new Rec(BASE_TIMESTAMP + i / 10, utf8("user-" + (i % 97)), utf8(v), new Header[0]));
        }
        return out;
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
            cases.add(new Case("mixed-" + codec, codec, 0, -1, (short) -1, -1, false, false, -1, "mixed-40", null));
            cases.add(new Case("bulk-" + codec, codec, 0, -1, (short) -1, -1, false, false, -1, "bulk", null));
        }
        cases.add(new Case("single-null-key-value", "none", 0, -1, (short) -1, -1, false, false, -1,
                "null", null));
        cases.add(new Case("idempotent-none", "none", 1000, 123_456_789_012L, (short) 3, 42, false, false, 5,
                "mixed-7", null));
        cases.add(new Case("sequence-wraps", "none", 0, 9, (short) 1, Integer.MAX_VALUE - 2, false, false, -1,
                "mixed-6", null));
        cases.add(new Case("transactional-gzip", "gzip", 0, 77, (short) 0, 0, true, false, -1, "mixed-12", null));
        cases.add(new Case("rewritten-producer-state", "none", 0, 5, (short) 0, 10, false, false, -1, "mixed-5",
                new Rewrite(5, (short) 1, 0, true)));
        cases.add(new Case("control-commit", "none", 0, 77, (short) 0, -1, true, true, -1, "none", null));
        return cases;
    }

    static Compression compression(String name) {
        return switch (name) {
            case "none" -> Compression.NONE;
            case "gzip" -> Compression.gzip().build();
            case "snappy" -> Compression.snappy().build();
            case "lz4" -> Compression.lz4().build();
            case "zstd" -> Compression.zstd().build();
            default -> throw new IllegalArgumentException(name);
        };
    }

    static byte[] build(Case c) {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        MemoryRecordsBuilder builder = new MemoryRecordsBuilder(buffer, RecordBatch.MAGIC_VALUE_V2,
                compression(c.compression()), TimestampType.CREATE_TIME, c.baseOffset(), RecordBatch.NO_TIMESTAMP,
                c.producerId(), c.producerEpoch(), c.baseSequence(), c.transactional(), c.control(),
                c.partitionLeaderEpoch(), buffer.capacity());
        if (c.control()) {
            builder.appendEndTxnMarker(BASE_TIMESTAMP, new EndTransactionMarker(ControlRecordType.COMMIT, 4));
        }
        for (Rec r : c.records()) builder.append(r.timestamp(), r.key(), r.value(), r.headers());
        MemoryRecords built = builder.build();
        if (c.rewrite() != null) {
            Rewrite w = c.rewrite();
            builder.reopenAndRewriteProducerState(w.producerId(), w.producerEpoch(), w.baseSequence(), w.transactional());
            built = builder.build();
        }
        ByteBuffer b = built.buffer();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    static String q(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
            else if (ch < 0x20 || ch > 0x7e) sb.append(String.format("\\u%04x", (int) ch));
            else sb.append(ch);
        }
        return sb.append('"').toString();
    }

    static String hex(byte[] b) {
        return b == null ? "null" : q(HexFormat.of().formatHex(b));
    }

    static void generate(Path out) throws IOException {
        StringBuilder json = new StringBuilder();
        json.append("{\n  \"description\": ")
            .append(q("Generated by packages/protocol/test-vectors (RecordBatchGoldens.java, ./regenerate.sh) with "
                + "Apache Kafka's MemoryRecordsBuilder from kafka-clients " + kafkaVersion() + ", magic 2, CreateTime. "
                + "Do not edit: regenerate. Each case appends the inputs of recordSets[records] in order; 'batch' is the hex of build()."))
            .append(",\n  \"recordSets\": {");
        List<Case> cases = cases();
        List<String> sets = cases.stream().map(Case::recordSet).distinct().toList();
        for (int si = 0; si < sets.size(); si++) {
            List<Rec> records = recordSet(sets.get(si));
            json.append(si == 0 ? "\n    " : ",\n    ").append(q(sets.get(si))).append(": [");
            for (int i = 0; i < records.size(); i++) {
                Rec r = records.get(i);
                json.append(i == 0 ? "\n      " : ",\n      ")
                    .append("{\"timestamp\": ").append(r.timestamp())
                    .append(", \"key\": ").append(hex(r.key()))
                    .append(", \"value\": ").append(hex(r.value()))
                    .append(", \"headers\": [");
                for (int h = 0; h < r.headers().length; h++) {
                    Header header = r.headers()[h];
                    json.append(h == 0 ? "" : ", ").append("{\"key\": ").append(q(header.key()))
                        .append(", \"value\": ").append(hex(header.value())).append("}");
                }
                json.append("]}");
            }
            json.append(records.isEmpty() ? "]" : "\n    ]");
        }
        json.append("\n  },\n  \"cases\": [\n");
        for (int ci = 0; ci < cases.size(); ci++) {
            Case c = cases.get(ci);
            json.append("    {\"name\": ").append(q(c.name()))
                .append(", \"compression\": ").append(q(c.compression()))
                .append(", \"baseOffset\": ").append(q(Long.toString(c.baseOffset())))
                .append(", \"producerId\": ").append(q(Long.toString(c.producerId())))
                .append(", \"producerEpoch\": ").append(c.producerEpoch())
                .append(", \"baseSequence\": ").append(c.baseSequence())
                .append(", \"isTransactional\": ").append(c.transactional())
                .append(", \"isControlBatch\": ").append(c.control())
                .append(", \"partitionLeaderEpoch\": ").append(c.partitionLeaderEpoch());
            if (c.rewrite() != null) {
                Rewrite w = c.rewrite();
                json.append(", \"rewrite\": {\"producerId\": ").append(q(Long.toString(w.producerId())))
                    .append(", \"producerEpoch\": ").append(w.producerEpoch())
                    .append(", \"baseSequence\": ").append(w.baseSequence())
                    .append(", \"isTransactional\": ").append(w.transactional()).append("}");
            }
            json.append(", \"records\": ").append(q(c.recordSet())).append(",\n");
            json.append("      \"batch\": ").append(hex(build(c))).append("}")
                .append(ci == cases.size() - 1 ? "\n" : ",\n");
        }
        json.append("  ]\n}\n");
        Files.writeString(out, json.toString());
        System.out.println("wrote " + cases.size() + " cases to " + out);
    }

    static String kafkaVersion() {
        String v = MemoryRecords.class.getPackage().getImplementationVersion();
        return v == null ? "4.4.0" : v;
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }

    /** Decodes `bytes` with Kafka's reader and compares everything with case `c`. */
    static void verifyOne(Case c, byte[] bytes) {
        MemoryRecords records = MemoryRecords.readableRecords(ByteBuffer.wrap(bytes));
        int batches = 0;
        for (MutableRecordBatch batch : records.batches()) {
            batches++;
            batch.ensureValid();
            Rewrite w = c.rewrite();
            check(batch.magic() == RecordBatch.MAGIC_VALUE_V2, "magic");
            check(batch.compressionType().name.equals(c.compression()), "compression " + batch.compressionType());
            check(batch.baseOffset() == c.baseOffset(), "baseOffset");
            check(batch.partitionLeaderEpoch() == c.partitionLeaderEpoch(), "partitionLeaderEpoch");
            check(batch.producerId() == (w == null ? c.producerId() : w.producerId()), "producerId");
            check(batch.producerEpoch() == (w == null ? c.producerEpoch() : w.producerEpoch()), "producerEpoch");
            check(batch.baseSequence() == (w == null ? c.baseSequence() : w.baseSequence()), "baseSequence");
            check(batch.isTransactional() == (w == null ? c.transactional() : w.transactional()), "isTransactional");
            check(batch.isControlBatch() == c.control(), "isControlBatch");
            check(batch.timestampType() == TimestampType.CREATE_TIME, "timestampType");
            int i = 0;
            long max = RecordBatch.NO_TIMESTAMP;
            for (Record r : batch) {
                if (c.control()) {
                    check(ControlRecordType.parse(r.key()) == ControlRecordType.COMMIT, "control type");
                    i++;
                    continue;
                }
                Rec e = c.records().get(i);
                check(r.offset() == c.baseOffset() + i, "offset of record " + i);
                check(r.timestamp() == e.timestamp(), "timestamp of record " + i);
                check(same(r.key(), e.key()), "key of record " + i);
                check(same(r.value(), e.value()), "value of record " + i);
                check(r.headers().length == e.headers().length, "header count of record " + i);
                for (int h = 0; h < e.headers().length; h++) {
                    check(r.headers()[h].key().equals(e.headers()[h].key()), "header key " + h + " of record " + i);
                    check(Arrays.equals(r.headers()[h].value(), e.headers()[h].value()), "header value " + h + " of record " + i);
                }
                max = Math.max(max, e.timestamp());
                i++;
            }
            check(i == (c.control() ? 1 : c.records().size()), "record count " + i);
            check(c.control() || batch.maxTimestamp() == max, "maxTimestamp");
            check(batch.lastOffset() == c.baseOffset() + i - 1, "lastOffset");
        }
        check(batches == 1, "batch count " + batches);
    }

    static boolean same(ByteBuffer actual, byte[] expected) {
        if (actual == null || expected == null) return actual == null && expected == null;
        byte[] a = new byte[actual.remaining()];
        actual.duplicate().get(a);
        return Arrays.equals(a, expected);
    }

    static void verify(Path ours) throws IOException {
        Map<String, Case> byName = new LinkedHashMap<>();
        for (Case c : cases()) byName.put(c.name(), c);
        int passed = 0;
        int failed = 0;
        for (String line : Files.readAllLines(ours)) {
            if (line.isBlank()) continue;
            String[] parts = line.split("\t");
            Case c = byName.get(parts[0]);
            try {
                if (c == null) throw new AssertionError("unknown case");
                verifyOne(c, HexFormat.of().parseHex(parts[1]));
                passed++;
            } catch (Throwable t) {
                failed++;
                System.out.println("FAIL " + parts[0] + ": " + t);
            }
        }
        System.out.println("java verify: " + passed + " passed, " + failed + " failed");
        if (failed > 0 || passed == 0) System.exit(1);
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("generate")) generate(Path.of(args[1]));
        else if (args.length == 2 && args[0].equals("verify")) verify(Path.of(args[1]));
        else {
            System.err.println("usage: generate <fixtures.json> | verify <ours.tsv>");
            System.exit(2);
        }
    }
}
