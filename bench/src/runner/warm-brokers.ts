import { profileWorkloads } from '../workloads.js'
import type { BenchCluster } from './bench-cluster.js'
import { clientById } from './client-specs.js'
import { runClient } from './run-client.js'

/**
 * Warms the brokers' JIT before anything is timed, on the paths the timed clients use: a million records
 * from kcat (librdkafka's 1 MB batches), then a million from ProducerPerformance (Java's 16 KiB batches,
 * ~6 per request). kcat alone left the small-batch path cold, and the first client timed after it paid for
 * that (x-send ran 468k records/s first and 616–668k after, on one node).
 */
export async function warmBrokers(
  cluster: BenchCluster,
  scripts: Parameters<typeof runClient>[1]['scripts'],
  log: (line: string) => void,
): Promise<void> {
  const warm = profileWorkloads('quick')[0]!
  for (const id of ['kcat', 'java-perf']) {
    const topic = await cluster.createTopic('warmup', warm.partitions)
    const metrics = await runClient(clientById(id), {
      cluster,
      topic,
      workload: warm,
      records: 1_000_000,
      scripts,
      log,
      maxSendMs: 0,
    })
    log(
      `brokers warmed up with 1,000,000 records from ${id} (${Math.round(metrics.recordsPerSec).toLocaleString('en-US')} records/s)`,
    )
    await cluster.deleteTopic(topic)
  }
}
