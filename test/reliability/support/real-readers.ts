// Read-back from the real brokers with the two independent readers the oracle wants: the Java consumer
// (ConsoleConsumer with the harness's JsonRecordFormatter) and kcat (librdkafka, CRC checks on). They must
// agree offset by offset; the checker counts every disagreement as an inconsistency.
import { consumeWithJava, consumeWithKcat, type KafkaCluster } from '@x/kafka-harness'
import type { DeliveryChecker } from '@x/testkit'

export async function readBothInto(
  checker: DeliveryChecker,
  cluster: KafkaCluster,
  topic: string,
  options: { isolationLevel?: 'read_committed' | 'read_uncommitted'; idleTimeoutMs?: number } = {},
): Promise<void> {
  const java = await consumeWithJava(cluster.tools, {
    bootstrapServers: cluster.bootstrapServers,
    topic,
    idleTimeoutMs: options.idleTimeoutMs ?? 10_000,
    isolationLevel: options.isolationLevel,
  })
  checker.read('java', java)
  const kcat = await consumeWithKcat({
    bootstrapServers: cluster.bootstrapServers,
    topic,
    isolationLevel: options.isolationLevel,
    timeoutMs: 180_000,
  })
  checker.read('kcat', kcat)
}
