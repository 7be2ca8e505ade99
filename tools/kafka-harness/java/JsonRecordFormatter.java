// A ConsoleConsumer MessageFormatter for tools/kafka-harness: prints one JSON object per record, with key,
// value and header values in base64, so the harness reads arbitrary bytes back exactly (the default
// formatter writes raw bytes between separators, which is ambiguous for binary data).
// Compiled by the harness with javac against the Kafka tools classpath at fetch time.
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.MessageFormatter;
import org.apache.kafka.common.header.Header;

public class JsonRecordFormatter implements MessageFormatter {
  private static final Base64.Encoder B64 = Base64.getEncoder();

  @Override
  public void writeTo(ConsumerRecord<byte[], byte[]> record, PrintStream out) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"topic\":");
    string(sb, record.topic());
    sb.append(",\"partition\":").append(record.partition());
    // offsets are int64: sent as a string so JavaScript parses them into a bigint without losing precision
    sb.append(",\"offset\":\"").append(record.offset()).append('"');
    sb.append(",\"timestamp\":").append(record.timestamp());
    sb.append(",\"timestampType\":");
    string(sb, record.timestampType().name);
    sb.append(",\"key\":");
    bytes(sb, record.key());
    sb.append(",\"value\":");
    bytes(sb, record.value());
    sb.append(",\"headers\":[");
    boolean first = true;
    for (Header h : record.headers()) {
      if (!first) sb.append(',');
      first = false;
      sb.append("{\"key\":");
      string(sb, h.key());
      sb.append(",\"value\":");
      bytes(sb, h.value());
      sb.append('}');
    }
    sb.append("]}\n");
    byte[] line = sb.toString().getBytes(StandardCharsets.UTF_8);
    out.write(line, 0, line.length);
  }

  private static void bytes(StringBuilder sb, byte[] b) {
    if (b == null) sb.append("null");
    else sb.append('"').append(B64.encodeToString(b)).append('"');
  }

  // Header keys and topic names are Java Strings; escape them as JSON (\\uXXXX for anything below 0x20).
  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    sb.append('"');
  }
}
