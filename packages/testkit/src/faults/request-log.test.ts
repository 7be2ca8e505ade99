// The request log: what each entry records (API, version, broker, connection, correlation id, client id,
// timing, decoded request and response, outcome), its capacity bound, filters, waiting for a request,
// and being off.
import { describe, expect, it } from 'vitest'
import { batchOf, produceRequest, useCluster } from '../testing/cluster-fixture.js'

describe('RequestLog', () => {
  const { cluster, connect } = useCluster({ requestLog: 3, topics: ['t'] })

  it('records each request with its decoded body, response and outcome', async () => {
    const client = await connect()
    const records = batchOf(['logged'])
    await client.request('Produce', produceRequest('t', 0, records), { version: 9 })
    const [entry] = cluster().requestLog.entries({ api: 'Produce' })
    expect(entry).toMatchObject({
      sequence: 1,
      api: 'Produce',
      apiKey: 0,
      apiVersion: 9,
      brokerId: 1,
      correlationId: 1,
      clientId: 'x-testkit-wire-client',
      outcome: 'responded',
      faults: [],
    })
    expect(entry!.completedAtMs).toBeGreaterThanOrEqual(entry!.receivedAtMs)
    const request = entry!.request as { topicData: { partitionData: { records: Uint8Array }[] }[] }
    expect(request.topicData[0]!.partitionData[0]!.records).toEqual(records)
    expect(entry!.response).toMatchObject({
      responses: [{ name: 't', partitionResponses: [{ errorCode: 0, baseOffset: 0n }] }],
    })
  })

  it('keeps the newest entries up to its capacity and filters by API and broker', async () => {
    const client = await connect()
    for (let i = 0; i < 4; i++) await client.request('Metadata', { topics: null })
    await client.apiVersions()
    expect(
      cluster()
        .requestLog.entries()
        .map((entry) => entry.api),
    ).toEqual(['Metadata', 'Metadata', 'ApiVersions'])
    expect(cluster().requestLog.entries({ api: 'Metadata', brokerId: 1 })).toHaveLength(2)
    expect(cluster().requestLog.entries({ brokerId: 2 })).toEqual([])
    cluster().requestLog.clear()
    expect(cluster().requestLog.entries()).toEqual([])
  })

  it('counts the requests of the connection still unanswered when each one arrives', async () => {
    const client = await connect()
    const held = cluster().faults.hold({ api: 'Metadata', count: 2 })
    const pipelined = [
      client.request('Metadata', { topics: null }),
      client.request('Metadata', { topics: null }),
      client.apiVersions(),
    ]
    await held.waitFor(2)
    held.releaseAll()
    await Promise.all(pipelined)
    const depths = () =>
      cluster()
        .requestLog.entries()
        .map((entry) => [entry.api, entry.inFlightOnConnection])
    expect(depths()).toEqual([
      ['Metadata', 1],
      ['Metadata', 2],
      ['ApiVersions', 3],
    ])
    await client.request('Metadata', { topics: null })
    expect(depths().at(-1)).toEqual(['Metadata', 1]) // every earlier one was answered
  })

  it('resolves a wait with the first matching request logged afterwards', async () => {
    const client = await connect()
    const waiting = cluster().requestLog.waitFor((entry) => entry.api === 'ApiVersions')
    await client.request('Metadata', { topics: null })
    await client.apiVersions()
    expect((await waiting).api).toBe('ApiVersions')
  })
})

describe('RequestLog off', () => {
  const { cluster, connect } = useCluster({ requestLog: false })

  it('records nothing and refuses to wait', async () => {
    const client = await connect()
    await client.apiVersions()
    expect(cluster().requestLog.isEnabled).toBe(false)
    expect(cluster().requestLog.entries()).toEqual([])
    await expect(cluster().requestLog.waitFor(() => true)).rejects.toMatchObject({ code: 'INVALID_OPTION' })
  })
})
