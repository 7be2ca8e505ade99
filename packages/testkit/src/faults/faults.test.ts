// Fault injection, rule by rule: injected error codes (per API, broker, partition, count and skip),
// errors after the append, disconnects before and after the broker applied a request and mid-response,
// latency on a manual clock, held responses released in and out of order, throttling, and the fault handles.
import { ErrorCode, encodeRequest } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import { apiCodecs } from '../api-codecs.js'
import { ManualClock } from '../clock.js'
import { batchOf, produceRequest, text, useCluster } from '../testing/cluster-fixture.js'

describe('injected errors', () => {
  const { cluster, connect } = useCluster({ topics: [{ name: 't', partitions: 2 }] })

  it('answers the next N matching requests with the error and handles the ones after', async () => {
    const client = await connect()
    const handle = cluster().faults.injectError({ api: 'Produce', error: 'NOT_LEADER_OR_FOLLOWER', count: 2 })
    const codes: number[] = []
    for (let i = 0; i < 3; i++) {
      const response = await client.request('Produce', produceRequest('t', 0, batchOf([`v${i}`])))
      codes.push(response.responses[0]!.partitionResponses[0]!.errorCode)
    }
    expect(codes).toEqual([
      ErrorCode.NOT_LEADER_OR_FOLLOWER,
      ErrorCode.NOT_LEADER_OR_FOLLOWER,
      ErrorCode.NONE,
    ])
    expect(
      cluster()
        .records('t', 0)
        .map((record) => text(record.value)),
    ).toEqual(['v2'])
    expect(handle.applied).toBe(2)
    expect(cluster().faults.active).toEqual([])
  })

  it('puts a partition-filtered error on that partition only and lets the rest of the request through', async () => {
    const client = await connect()
    cluster().faults.injectError({
      api: 'Produce',
      topic: 't',
      partition: 1,
      error: ErrorCode.NOT_ENOUGH_REPLICAS,
    })
    const response = await client.request('Produce', {
      acks: -1,
      timeoutMs: 1000,
      topicData: [
        {
          name: 't',
          partitionData: [
            { index: 0, records: batchOf(['p0']) },
            { index: 1, records: batchOf(['p1']) },
          ],
        },
      ],
    })
    expect(response.responses[0]!.partitionResponses.map((p) => p.errorCode)).toEqual([
      ErrorCode.NONE,
      ErrorCode.NOT_ENOUGH_REPLICAS,
    ])
    expect(cluster().records('t', 1)).toEqual([])
  })

  it('skips the first matches when asked and matches other APIs not at all', async () => {
    const client = await connect()
    cluster().faults.injectError({ api: 'InitProducerId', error: 'COORDINATOR_LOAD_IN_PROGRESS', skip: 1 })
    await client.request('Produce', produceRequest('t', 0, batchOf(['x'])))
    const init = () => client.request('InitProducerId', { transactionalId: null, transactionTimeoutMs: 1000 })
    expect((await init()).errorCode).toBe(ErrorCode.NONE)
    expect((await init()).errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS)
    expect((await init()).errorCode).toBe(ErrorCode.NONE)
  })

  it('appends first and then answers with the error when afterHandling is set (NOT_ENOUGH_REPLICAS_AFTER_APPEND)', async () => {
    const client = await connect()
    cluster().faults.injectError({
      api: 'Produce',
      error: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
      afterHandling: true,
    })
    const response = await client.request('Produce', produceRequest('t', 0, batchOf(['written'])))
    expect(response.responses[0]!.partitionResponses[0]!.errorCode).toBe(
      ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
    )
    expect(
      cluster()
        .records('t', 0)
        .map((record) => text(record.value)),
    ).toEqual(['written'])
  })

  it('rejects an unknown error name when the rule is added', () => {
    expect(() => cluster().faults.injectError({ error: 'NO_SUCH_ERROR' as never })).toThrow(
      /Unknown error name/,
    )
  })

  it('keeps a standing rule until it is cancelled', async () => {
    const client = await connect()
    const handle = cluster().faults.injectError({
      api: 'ApiVersions',
      error: 'UNKNOWN_SERVER_ERROR',
      count: Number.POSITIVE_INFINITY,
    })
    expect((await client.apiVersions()).errorCode).toBe(ErrorCode.UNKNOWN_SERVER_ERROR)
    expect((await client.apiVersions()).errorCode).toBe(ErrorCode.UNKNOWN_SERVER_ERROR)
    handle.cancel()
    expect((await client.apiVersions()).errorCode).toBe(ErrorCode.NONE)
  })
})

describe('disconnects', () => {
  const { cluster, connect } = useCluster({ topics: ['t'] })

  it('drops the connection after the append: the batch is in the log, the response never comes', async () => {
    const client = await connect()
    cluster().faults.disconnect({ api: 'Produce', when: 'after-handling' })
    await expect(
      client.request('Produce', produceRequest('t', 0, batchOf(['persisted']))),
    ).rejects.toMatchObject({
      code: 'CONNECTION_CLOSED',
    })
    expect(
      cluster()
        .records('t', 0)
        .map((record) => text(record.value)),
    ).toEqual(['persisted'])
    const entry = cluster().requestLog.entries({ api: 'Produce' })[0]!
    expect([entry.outcome, entry.faults]).toEqual(['disconnected', ['disconnect after-handling']])
  })

  it('cuts the connection in the middle of the response: the batch is written, the client holds a partial frame', async () => {
    cluster().faults.disconnect({ api: 'Produce', when: 'mid-response' })
    const broker = cluster().brokers[0]!
    const socket = await cluster().transport.connect({ host: broker.host, port: broker.port })
    const received: Uint8Array[] = []
    socket.onData((chunk) => received.push(chunk.slice()))
    const closed = new Promise<Error | undefined>((resolve) => socket.onClose(resolve))
    socket.write(
      encodeRequest({
        api: apiCodecs.Produce.api,
        apiVersion: 9,
        correlationId: 1,
        clientId: 'raw',
        body: produceRequest('t', 0, batchOf(['cut'])),
        writeBody: apiCodecs.Produce.writeRequest,
      }),
    )
    expect(await closed).toMatchObject({ code: 'CONNECTION_CLOSED' })
    const bytes = Buffer.concat(received)
    expect(bytes.length).toBeGreaterThanOrEqual(4)
    expect(bytes.length).toBeLessThan(4 + bytes.readInt32BE(0)) // the size prefix announces more than came
    expect(
      cluster()
        .records('t', 0)
        .map((record) => text(record.value)),
    ).toEqual(['cut'])
    const entry = cluster().requestLog.entries({ api: 'Produce' })[0]!
    expect([entry.outcome, entry.faults]).toEqual(['disconnected', ['disconnect mid-response']])
  })

  it('drops the connection before the append: nothing is written', async () => {
    const client = await connect()
    cluster().faults.disconnect({ api: 'Produce', when: 'before-handling' })
    await expect(client.request('Produce', produceRequest('t', 0, batchOf(['lost'])))).rejects.toMatchObject({
      code: 'CONNECTION_CLOSED',
    })
    expect(cluster().records('t', 0)).toEqual([])
    const again = await connect()
    const response = await again.request('Produce', produceRequest('t', 0, batchOf(['retried'])))
    expect(response.responses[0]!.partitionResponses[0]!.baseOffset).toBe(0n)
  })
})

describe('latency, holds and throttling', () => {
  const clock = new ManualClock()
  const { cluster, connect } = useCluster({ clock, topics: ['t'] })

  it('delays a response until the clock passes the added latency, and later responses queue behind it', async () => {
    const client = await connect()
    cluster().faults.latency({ api: 'Produce', ms: 500, count: 1 })
    const order: string[] = []
    const slow = client
      .request('Produce', produceRequest('t', 0, batchOf(['slow'])))
      .then(() => order.push('produce'))
    const fast = client.request('Metadata', { topics: null }).then(() => order.push('metadata'))
    await cluster().requestLog.waitFor((entry) => entry.api === 'Metadata')
    await new Promise((resolve) => setImmediate(resolve))
    expect(order).toEqual([])
    expect(cluster().records('t', 0)).toHaveLength(1) // applied at once, only the answer waits
    clock.advance(499)
    await new Promise((resolve) => setImmediate(resolve))
    expect(order).toEqual([])
    clock.advance(1)
    await Promise.all([slow, fast])
    expect(order).toEqual(['produce', 'metadata'])
    const entry = cluster().requestLog.entries({ api: 'Produce' })[0]!
    expect(entry.completedAtMs! - entry.receivedAtMs).toBe(500)
  })

  it('holds responses until released, in request order on one connection', async () => {
    const client = await connect()
    const held = cluster().faults.hold({ api: 'Produce', count: 2 })
    const results: bigint[] = []
    const first = client.request('Produce', produceRequest('t', 0, batchOf(['1'])))
    const second = client.request('Produce', produceRequest('t', 0, batchOf(['2'])))
    for (const promise of [first, second])
      promise.then((r) => results.push(r.responses[0]!.partitionResponses[0]!.baseOffset))
    await held.waitFor(2)
    held.release(1)
    await new Promise((resolve) => setImmediate(resolve))
    expect(results).toEqual([]) // the second waits for the first, as on a Kafka connection
    held.release(0)
    await Promise.all([first, second])
    expect(results).toEqual([0n, 1n])
    expect(held.pending).toBe(0)
  })

  it('writes a held response out of order when asked, ahead of earlier ones on its connection', async () => {
    const client = await connect()
    const held = cluster().faults.hold({ api: 'Produce', count: 2 })
    const seen: number[] = []
    client.request('Produce', produceRequest('t', 0, batchOf(['1']))).then(
      () => seen.push(1),
      () => seen.push(-1),
    )
    const second = client.request('Produce', produceRequest('t', 0, batchOf(['2']))).then(() => seen.push(2))
    await held.waitFor(2)
    held.release(1, { outOfOrder: true })
    await second
    expect(seen).toEqual([2])
    held.release(0)
    await new Promise((resolve) => setImmediate(resolve))
    expect(seen).toEqual([2, 1])
  })

  it('releases held responses across connections in whatever order the test picks', async () => {
    const a = await connect()
    const b = await connect()
    const held = cluster().faults.hold({ api: 'Produce', count: 2 })
    const order: string[] = []
    const fromA = a.request('Produce', produceRequest('t', 0, batchOf(['a']))).then(() => order.push('a'))
    await held.waitFor(1)
    const fromB = b.request('Produce', produceRequest('t', 0, batchOf(['b']))).then(() => order.push('b'))
    await held.waitFor(2)
    held.release(1)
    await fromB
    held.release(0)
    await fromA
    expect(order).toEqual(['b', 'a'])
  })

  it('drops a held response with its connection', async () => {
    const client = await connect()
    const held = cluster().faults.hold({ api: 'Produce' })
    const pending = client.request('Produce', produceRequest('t', 0, batchOf(['x'])))
    await held.waitFor(1)
    client.close()
    await expect(pending).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' })
    await new Promise((resolve) => setImmediate(resolve))
    expect([held.pending, held.responses[0]!.isReleased]).toEqual([0, true])
    expect(cluster().requestLog.entries({ api: 'Produce' })[0]!.outcome).toBe('disconnected')
  })

  it('sets throttleTimeMs on matching responses', async () => {
    const client = await connect()
    cluster().faults.throttle({ api: 'Produce', throttleTimeMs: 250 })
    const response = await client.request('Produce', produceRequest('t', 0, batchOf(['x'])))
    expect(response.throttleTimeMs).toBe(250)
    expect((await client.request('Metadata', { topics: null })).throttleTimeMs).toBe(0)
  })
})
