// NetworkClient and BrokerConnection against @x/testkit's embedded cluster (in memory, on a manual clock),
// whose brokers decode requests and encode responses with @x/protocol's generated codecs.
import {
  type MetadataResponse,
  metadataApi,
  produceApi,
  RecordBatchBuilder,
  readMetadataResponse,
  readProduceResponse,
  UnsupportedVersionError,
  writeMetadataRequest,
  writeProduceRequest,
} from '@x/protocol'
import { EmbeddedKafkaCluster, type EmbeddedKafkaClusterOptions, ManualClock } from '@x/testkit'
import { afterEach, describe, expect, it } from 'vitest'
import { NetworkError } from '../errors/network-error.js'
import { TimeoutError } from '../errors/timeout-error.js'
import { RecordingTransport } from '../testing/recording-transport.js'
import type { BrokerNode } from './broker-node.js'
import type { ClientResponse } from './client-request.js'
import { NetworkClient, type NetworkClientOptions } from './network-client.js'

function recordBatch(value: string): Uint8Array {
  const builder = new RecordBatchBuilder(new Uint8Array(256))
  builder.append(0, null, new TextEncoder().encode(value), [])
  return builder.close()
}

const clusters: EmbeddedKafkaCluster[] = []

afterEach(async () => {
  for (const cluster of clusters.splice(0)) await cluster.stop()
})

async function setup(
  clusterOptions: Omit<EmbeddedKafkaClusterOptions, 'clock' | 'listen'> = {},
  clientOptions: NetworkClientOptions = {},
) {
  const clock = new ManualClock(1_000_000)
  const cluster = await EmbeddedKafkaCluster.start({ ...clusterOptions, listen: false, clock })
  clusters.push(cluster)
  const transport = new RecordingTransport(cluster.transport)
  const client = new NetworkClient({ transport, clock, random: () => 0.5, ...clientOptions })
  const node = (id: number): BrokerNode => {
    const broker = cluster.brokers.find((candidate) => candidate.id === id)!
    return { id, host: broker.host, port: broker.port, rack: null }
  }
  const settle = () => clock.settle()
  const connect = async (id = 1) => {
    client.ready(node(id), clock.now())
    await settle()
    await settle()
    return client.isReady(id, clock.now())
  }
  const metadataRequest = (responses: ClientResponse<MetadataResponse>[], id = 1) =>
    client.send(
      id,
      { api: metadataApi, body: { topics: [] }, write: writeMetadataRequest, read: readMetadataResponse },
      (response) => responses.push(response),
      clock.now(),
    )
  const requests = (api: 'ApiVersions' | 'Metadata') => cluster.requestLog.entries({ api })
  return { clock, cluster, transport, client, node, settle, connect, metadataRequest, requests }
}

describe('NetworkClient', () => {
  it('connects, negotiates API versions and sends each request at the highest common version', async () => {
    const { client, connect, metadataRequest, settle, requests } = await setup({
      apiVersions: { Metadata: { min: 0, max: 9 }, ApiVersions: { min: 0, max: 4 } },
    })
    expect(await connect()).toBe(true)
    expect(client.nodeApiVersions(1)?.latestUsableVersion(metadataApi)).toBe(9)
    const responses: ClientResponse<MetadataResponse>[] = []
    metadataRequest(responses)
    await settle()
    expect(responses).toHaveLength(1)
    expect(responses[0]!.body!.brokers.map((b) => b.nodeId)).toEqual([1])
    expect(requests('Metadata')[0]!.apiVersion).toBe(9)
    expect(requests('ApiVersions')[0]).toMatchObject({
      apiVersion: 4,
      clientId: 'x-kafka-producer',
    })
  })

  it('retries ApiVersions at the broker version when the broker answers UNSUPPORTED_VERSION (KIP-511)', async () => {
    const { client, connect, requests } = await setup({
      apiVersions: {
        Produce: { min: 3, max: 11 },
        Metadata: { min: 0, max: 12 },
        ApiVersions: { min: 0, max: 2 },
      },
    })
    expect(await connect()).toBe(true)
    expect(requests('ApiVersions').map((r) => r.apiVersion)).toEqual([4, 2])
    expect(client.nodeApiVersions(1)?.latestUsableVersion(produceApi)).toBe(11)
  })

  it('completes a request with UnsupportedVersionError when no version is common', async () => {
    const { client, connect, clock, settle } = await setup({
      apiVersions: {
        Produce: { min: 0, max: 2 },
        Metadata: { min: 0, max: 12 },
        ApiVersions: { min: 0, max: 4 },
      },
    })
    expect(await connect()).toBe(true)
    const responses: ClientResponse<unknown>[] = []
    client.send(
      1,
      {
        api: produceApi,
        minVersion: 3,
        body: { acks: 1, timeoutMs: 1000, topicData: [] },
        write: writeProduceRequest,
        read: readProduceResponse,
      },
      (response) => responses.push(response),
      clock.now(),
    )
    await settle()
    expect(UnsupportedVersionError.isInstance(responses[0]?.error)).toBe(true)
    expect(responses[0]!.error!.message).toContain('the broker supports 0-2, this client 3-11')
  })

  it('fails every request in flight with a retriable TimeoutError when one exceeds request.timeout.ms', async () => {
    const { cluster, client, clock, connect, metadataRequest } = await setup({}, { requestTimeoutMs: 1_000 })
    expect(await connect()).toBe(true)
    cluster.faults.hold({ api: 'Metadata', count: 2 }) // never released: no answer comes
    const responses: ClientResponse<MetadataResponse>[] = []
    metadataRequest(responses)
    await clock.advanceAsync(400)
    metadataRequest(responses)
    await clock.advanceAsync(599)
    expect(responses).toHaveLength(0)
    await clock.advanceAsync(1)
    expect(responses).toHaveLength(2)
    for (const response of responses) {
      expect(TimeoutError.isInstance(response.error)).toBe(true)
      expect(response.error).toMatchObject({
        retriable: true,
        timeout: 'request.timeout.ms',
        timeoutMs: 1_000,
      })
    }
    expect(client.connectionState(1)).toBe('disconnected')
  })

  it('closes the connection and fails its requests when a response carries the wrong correlation id', async () => {
    const { cluster, client, connect, metadataRequest, settle } = await setup()
    expect(await connect()).toBe(true)
    const held = cluster.faults.hold({ api: 'Metadata', count: 2 })
    const responses: ClientResponse<MetadataResponse>[] = []
    metadataRequest(responses)
    await settle() // written: the next may follow (Java's canSendMore)
    metadataRequest(responses)
    await held.waitFor(2)
    // the second request's answer comes first: its correlation id is not the one the client expects
    held.release(1, { outOfOrder: true })
    await settle()
    await settle()
    expect(responses).toHaveLength(2)
    expect(NetworkError.isInstance(responses[0]?.error)).toBe(true)
    expect(responses[0]!.error!.message).toContain('does not match the oldest request in flight')
    expect(NetworkError.isInstance(responses[1]?.error)).toBe(true)
    expect(client.isReady(1, 0)).toBe(false)
  })

  it('backs off reconnecting exponentially, from reconnect.backoff.ms to reconnect.backoff.max.ms', async () => {
    const { cluster, transport, client, clock, node, settle } = await setup(
      {},
      { reconnectBackoffMs: 100, reconnectBackoffMaxMs: 1_000 },
    )
    await cluster.faults.brokerDown(1)
    const delays: number[] = []
    for (let attempt = 0; attempt < 6; attempt++) {
      expect(client.ready(node(1), clock.now())).toBe(false)
      await settle()
      const delay = client.connectionDelay(1, clock.now())
      delays.push(delay)
      expect(client.ready(node(1), clock.now())).toBe(false) // no attempt before the backoff ends
      await clock.advanceAsync(delay)
    }
    // random() pinned to 0.5 removes the ±20% jitter: 100·2^n capped at 1000
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000])
    expect(transport.connectAttempts).toBe(6)
    await cluster.faults.brokerUp(1)
    client.ready(node(1), clock.now())
    await settle()
    await settle()
    expect(client.isReady(1, clock.now())).toBe(true)
  })

  it('picks the ready node with the fewest requests in flight as least loaded', async () => {
    const { cluster, client, connect, node, metadataRequest, clock, settle } = await setup({ brokers: 3 })
    expect(await connect(1)).toBe(true)
    expect(await connect(2)).toBe(true)
    cluster.faults.hold({ api: 'Metadata', broker: 1 })
    metadataRequest([], 1)
    const nodes = [node(1), node(2), node(3)]
    expect(client.leastLoadedNode(nodes, clock.now())?.id).toBe(2)
    await cluster.faults.brokerDown(2)
    await settle()
    expect(client.leastLoadedNode(nodes, clock.now())?.id).toBe(1)
  })

  it('writes a request as one transport write whose record batches are referenced, not copied', async () => {
    const { cluster, transport, client, connect, clock, settle } = await setup()
    cluster.createTopic({ name: 't', partitions: 3 })
    expect(await connect()).toBe(true)
    const batches = [0, 1, 2].map((partition) => recordBatch(`value-${partition}`))
    const chunksBefore = transport.chunksWritten
    const writesBefore = transport.writeCalls
    const responses: ClientResponse<unknown>[] = []
    client.send(
      1,
      {
        api: produceApi,
        minVersion: 3,
        body: {
          acks: 1,
          timeoutMs: 1000,
          topicData: [{ name: 't', partitionData: batches.map((records, index) => ({ index, records })) }],
        },
        write: writeProduceRequest,
        read: readProduceResponse,
      },
      (response) => responses.push(response),
      clock.now(),
    )
    await settle()
    expect(transport.writeCalls - writesBefore).toBe(1)
    // size+header+topic chunk, then each batch by reference with the bytes between them
    expect(transport.chunksWritten - chunksBefore).toBeGreaterThanOrEqual(batches.length + 1)
    expect(responses[0]?.error).toBeUndefined()
    expect(cluster.records('t', 2).map((r) => new TextDecoder().decode(r.value!))).toEqual(['value-2'])
  })

  it('refuses to pipeline beyond max.in.flight.requests.per.connection', async () => {
    const { client, connect, metadataRequest, cluster, settle } = await setup(
      {},
      { maxInFlightRequestsPerConnection: 2 },
    )
    expect(await connect()).toBe(true)
    cluster.faults.hold({ api: 'Metadata', count: 5 })
    metadataRequest([])
    await settle()
    metadataRequest([])
    await settle()
    expect(client.canSendRequest(1)).toBe(false)
    expect(() => metadataRequest([])).toThrow(/not ready/)
    expect(client.inFlightRequestCount(1)).toBe(2)
  })
})
