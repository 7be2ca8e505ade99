// ApiVersions with the `apiVersions` option: a broker announcing older ranges than it implements (the
// KIP-511 fallback answered with them), requests served only at announced and implemented versions, every
// refused request in the request log, and the option's bounds.
import { ErrorCode } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import { EmbeddedKafkaCluster } from '../embedded-kafka-cluster.js'
import { batchOf, produceRequest, useCluster } from '../testing/cluster-fixture.js'

const range = (apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[], apiKey: number) => {
  const entry = apiKeys.find((candidate) => candidate.apiKey === apiKey)
  return entry === undefined ? undefined : [entry.minVersion, entry.maxVersion]
}

describe('ApiVersions of a broker announcing older ranges', () => {
  const { cluster, connect } = useCluster({
    topics: ['t'],
    apiVersions: {
      Metadata: { min: 0, max: 9 },
      ApiVersions: { min: 0, max: 2 },
      Produce: { min: 0, max: 2 },
    },
  })

  it('answers a newer ApiVersions in v0 with the announced ranges and logs it (KIP-511)', async () => {
    const client = await connect()
    const refused = await client.requestRaw(
      'ApiVersions',
      3,
      (writer) => {
        writer.writeCompactString('x-test')
        writer.writeCompactString('1.0')
        writer.writeUnsignedVarint(0)
      },
      0,
    )
    expect(refused.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION)
    expect(range(refused.apiKeys, 18)).toEqual([0, 2])
    expect(range(refused.apiKeys, 3)).toEqual([0, 9])
    expect(range(refused.apiKeys, 0)).toEqual([0, 2])
    expect(range(refused.apiKeys, 1)).toEqual([4, 17]) // Fetch: not overridden
    const accepted = await client.apiVersions(2)
    expect(accepted.errorCode).toBe(ErrorCode.NONE)
    expect(range(accepted.apiKeys, 3)).toEqual([0, 9])
    expect(client.version('Metadata')).toBe(9)
    await client.request('Metadata', { topics: null })
    expect(
      cluster()
        .requestLog.entries()
        .map((entry) => [entry.api, entry.apiVersion, entry.outcome]),
    ).toEqual([
      ['ApiVersions', 3, 'responded'],
      ['ApiVersions', 2, 'responded'],
      ['Metadata', 9, 'responded'],
    ])
    expect(cluster().requestLog.entries()[0]!.request).toBeUndefined()
  })

  it('closes the connection on a version it does not announce, or announces but does not implement', async () => {
    const metadataClient = await connect()
    await expect(metadataClient.request('Metadata', { topics: null }, { version: 10 })).rejects.toMatchObject(
      {
        code: 'CONNECTION_CLOSED',
      },
    )
    const produceClient = await connect()
    await expect(
      produceClient.request('Produce', produceRequest('t', 0, batchOf(['old'])), { version: 2 }),
    ).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' })
    expect(
      cluster()
        .requestLog.entries()
        .map((entry) => [entry.api, entry.apiVersion, entry.outcome, entry.request]),
    ).toEqual([
      ['Metadata', 10, 'disconnected', undefined],
      ['Produce', 2, 'disconnected', undefined],
    ])
    expect(cluster().records('t', 0)).toEqual([])
  })
})

describe('the apiVersions option', () => {
  it('refuses a range outside 0 and the newest version the codecs know, or with min above max', async () => {
    await expect(
      EmbeddedKafkaCluster.start({ listen: false, apiVersions: { Metadata: { min: 0, max: 99 } } }),
    ).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('apiVersions.Metadata'),
    })
    await expect(
      EmbeddedKafkaCluster.start({ listen: false, apiVersions: { Produce: { min: 5, max: 4 } } }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTION' })
  })
})
