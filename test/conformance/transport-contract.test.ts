// The embedded cluster and @x/sender meet at the Transport contract, which @x/testkit restates instead of
// importing: this pins that the two stay interchangeable (type-checked here, exchanged over both ways).
import type { Transport as SenderTransport } from '@x/sender'
import { TcpTransport } from '@x/sender'
import { EmbeddedKafkaCluster, KafkaWireClient, leakedResources, snapshotActiveResources } from '@x/testkit'
import { expect, it } from 'vitest'

it("plugs the embedded cluster's in-memory transport into @x/sender, and the sender's TCP transport into the cluster", async () => {
  const before = snapshotActiveResources()
  const cluster = await EmbeddedKafkaCluster.start()
  const inMemory: SenderTransport = cluster.transport
  const broker = cluster.brokers[0]!
  for (const transport of [inMemory, new TcpTransport()]) {
    const client = await KafkaWireClient.connect({ host: broker.host, port: broker.port, transport })
    expect((await client.apiVersions()).errorCode).toBe(0)
    client.close()
  }
  await cluster.stop()
  expect(await leakedResources(before)).toEqual([])
})
