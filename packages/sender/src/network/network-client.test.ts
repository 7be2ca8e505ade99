// NetworkClient and BrokerConnection against the in-process fake broker (src/testing/fake-cluster.ts), which
// decodes requests and encodes responses with @x/protocol's generated codecs.
import {
  apiVersionsApi,
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
import { describe, expect, it } from 'vitest'
import { NetworkError } from '../errors/network-error.js'
import { TimeoutError } from '../errors/timeout-error.js'
import { FakeCluster, type FakeClusterOptions } from '../testing/fake-cluster.js'
import { ManualClock, settle } from '../testing/manual-clock.js'
import type { BrokerNode } from './broker-node.js'
import type { ClientResponse } from './client-request.js'
import { NetworkClient, type NetworkClientOptions } from './network-client.js'

function recordBatch(value: string): Uint8Array {
  const builder = new RecordBatchBuilder(new Uint8Array(256))
  builder.append(0, null, new TextEncoder().encode(value), [])
  return builder.close()
}

function setup(
  clusterOptions: Omit<FakeClusterOptions, 'clock'> = {},
  clientOptions: NetworkClientOptions = {},
) {
  const clock = new ManualClock()
  const cluster = new FakeCluster({ ...clusterOptions, clock })
  const client = new NetworkClient({
    transport: cluster.transport,
    clock,
    random: () => 0.5,
    ...clientOptions,
  })
  const node = (id: number): BrokerNode => ({ id, host: cluster.host(id), port: 9092, rack: null })
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
  return { clock, cluster, client, node, connect, metadataRequest }
}

describe('NetworkClient', () => {
  it('connects, negotiates API versions and sends each request at the highest common version', async () => {
    const { cluster, client, connect, metadataRequest } = setup({ apiVersions: { 3: [0, 9], 18: [0, 4] } })
    expect(await connect()).toBe(true)
    expect(client.nodeApiVersions(1)?.latestUsableVersion(metadataApi)).toBe(9)
    const responses: ClientResponse<MetadataResponse>[] = []
    metadataRequest(responses)
    await settle()
    expect(responses).toHaveLength(1)
    expect(responses[0]!.body!.brokers.map((b) => b.nodeId)).toEqual([1])
    expect(cluster.requestsOf(metadataApi.apiKey)[0]!.apiVersion).toBe(9)
    expect(cluster.requestsOf(apiVersionsApi.apiKey)[0]).toMatchObject({
      apiVersion: 4,
      clientId: 'x-kafka-producer',
    })
  })

  it('retries ApiVersions at the broker version when the broker answers UNSUPPORTED_VERSION (KIP-511)', async () => {
    const { cluster, client, connect } = setup({ apiVersions: { 0: [3, 11], 3: [0, 12], 18: [0, 2] } })
    expect(await connect()).toBe(true)
    expect(cluster.requestsOf(apiVersionsApi.apiKey).map((r) => r.apiVersion)).toEqual([4, 2])
    expect(client.nodeApiVersions(1)?.latestUsableVersion(produceApi)).toBe(11)
  })

  it('completes a request with UnsupportedVersionError when no version is common', async () => {
    const { client, connect, clock } = setup({ apiVersions: { 0: [0, 2], 3: [0, 12], 18: [0, 4] } })
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
    const { cluster, client, clock, connect, metadataRequest } = setup({}, { requestTimeoutMs: 1_000 })
    expect(await connect()).toBe(true)
    cluster.onRequest({ apiKey: metadataApi.apiKey, times: 2, action: 'drop' })
    const responses: ClientResponse<MetadataResponse>[] = []
    metadataRequest(responses)
    await clock.advance(400)
    metadataRequest(responses)
    await clock.advance(599)
    expect(responses).toHaveLength(0)
    await clock.advance(1)
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
    const { cluster, client, connect, metadataRequest } = setup()
    expect(await connect()).toBe(true)
    cluster.onRequest({ apiKey: metadataApi.apiKey, action: { correlationIdOffset: 7 } })
    const responses: ClientResponse<MetadataResponse>[] = []
    metadataRequest(responses)
    await settle()
    await settle()
    expect(NetworkError.isInstance(responses[0]?.error)).toBe(true)
    expect(responses[0]!.error!.message).toContain('does not match the oldest request in flight')
    expect(client.isReady(1, 0)).toBe(false)
  })

  it('backs off reconnecting exponentially, from reconnect.backoff.ms to reconnect.backoff.max.ms', async () => {
    const { cluster, client, clock, node } = setup(
      {},
      { reconnectBackoffMs: 100, reconnectBackoffMaxMs: 1_000 },
    )
    cluster.stopBroker(1)
    const delays: number[] = []
    for (let attempt = 0; attempt < 6; attempt++) {
      expect(client.ready(node(1), clock.now())).toBe(false)
      await settle()
      const delay = client.connectionDelay(1, clock.now())
      delays.push(delay)
      expect(client.ready(node(1), clock.now())).toBe(false) // no attempt before the backoff ends
      await clock.advance(delay)
    }
    // random() pinned to 0.5 removes the ±20% jitter: 100·2^n capped at 1000
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000])
    expect(cluster.transport.connectAttempts).toBe(6)
    cluster.startBroker(1)
    client.ready(node(1), clock.now())
    await settle()
    await settle()
    expect(client.isReady(1, clock.now())).toBe(true)
  })

  it('picks the ready node with the fewest requests in flight as least loaded', async () => {
    const { cluster, client, connect, node, metadataRequest, clock } = setup({ brokers: 3 })
    expect(await connect(1)).toBe(true)
    expect(await connect(2)).toBe(true)
    cluster.onRequest({ apiKey: metadataApi.apiKey, nodeId: 1, action: 'hold' })
    metadataRequest([], 1)
    const nodes = [node(1), node(2), node(3)]
    expect(client.leastLoadedNode(nodes, clock.now())?.id).toBe(2)
    cluster.stopBroker(2)
    await settle()
    expect(client.leastLoadedNode(nodes, clock.now())?.id).toBe(1)
  })

  it('writes a request as one transport write whose record batches are referenced, not copied', async () => {
    const { cluster, client, connect, clock } = setup()
    cluster.createTopic('t', { partitions: 3 })
    expect(await connect()).toBe(true)
    const batches = [0, 1, 2].map((partition) => recordBatch(`value-${partition}`))
    const chunksBefore = cluster.transport.chunksWritten
    const writesBefore = cluster.transport.writeCalls
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
    expect(cluster.transport.writeCalls - writesBefore).toBe(1)
    // size+header+topic chunk, then each batch by reference with the bytes between them
    expect(cluster.transport.chunksWritten - chunksBefore).toBeGreaterThanOrEqual(batches.length + 1)
    expect(responses[0]?.error).toBeUndefined()
    expect(cluster.records('t', 2).map((r) => new TextDecoder().decode(r.value!))).toEqual(['value-2'])
  })

  it('refuses to pipeline beyond max.in.flight.requests.per.connection', async () => {
    const { client, connect, metadataRequest, cluster } = setup({}, { maxInFlightRequestsPerConnection: 2 })
    expect(await connect()).toBe(true)
    cluster.onRequest({ apiKey: metadataApi.apiKey, times: 5, action: 'hold' })
    metadataRequest([])
    await settle()
    metadataRequest([])
    await settle()
    expect(client.canSendRequest(1)).toBe(false)
    expect(() => metadataRequest([])).toThrow(/not ready/)
    expect(client.inFlightRequestCount(1)).toBe(2)
  })
})
