// ApiVersions on every target: the APIs a transactional producer and a consumer reading its output need,
// each with a version range reaching this code's newest, and the KIP-511 fallback for a version the
// broker does not know.
import { ErrorCode } from '@x/protocol'
import { type ApiName, apiCodecs } from '@x/testkit'
import { expect, it } from 'vitest'
import { describeOnEveryTarget } from './conformance-targets'

const NEEDED: ApiName[] = [
  'Produce',
  'Fetch',
  'ListOffsets',
  'Metadata',
  'FindCoordinator',
  'ApiVersions',
  'CreateTopics',
  'InitProducerId',
  'AddPartitionsToTxn',
  'AddOffsetsToTxn',
  'EndTxn',
  'TxnOffsetCommit',
]

describeOnEveryTarget('ApiVersions', (session) => {
  it('lists every API a producer needs, up to at least the newest version the codecs write', async () => {
    const response = await session().bootstrap.apiVersions()
    expect(response.errorCode).toBe(ErrorCode.NONE)
    for (const name of NEEDED) {
      const api = apiCodecs[name].api
      const advertised = response.apiKeys.find((entry) => entry.apiKey === api.apiKey)
      expect(advertised, name).toBeDefined()
      expect(advertised!.maxVersion, name).toBeGreaterThanOrEqual(api.maxVersion)
      expect(session().bootstrap.version(name), name).toBe(api.maxVersion)
    }
  })

  it('serves Produce from v3 and Fetch from v4, the first versions that carry RecordBatch v2', async () => {
    const response = await session().bootstrap.apiVersions()
    const range = (key: number) => response.apiKeys.find((entry) => entry.apiKey === key)!
    expect(range(apiCodecs.Produce.api.apiKey).minVersion).toBeLessThanOrEqual(3)
    expect(range(apiCodecs.Fetch.api.apiKey).minVersion).toBeLessThanOrEqual(4)
  })

  it('answers an ApiVersions version it does not know in v0 with UNSUPPORTED_VERSION and its ApiVersions range', async () => {
    const response = await session().bootstrap.requestRaw(
      'ApiVersions',
      127,
      (writer) => {
        writer.writeCompactString('x-conformance')
        writer.writeCompactString('1.0')
        writer.writeUnsignedVarint(0)
      },
      0,
    )
    expect(response.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION)
    const apiVersions = response.apiKeys.find((entry) => entry.apiKey === apiCodecs.ApiVersions.api.apiKey)
    expect(apiVersions?.minVersion).toBe(0)
    expect(apiVersions!.maxVersion).toBeGreaterThanOrEqual(4)
  })
})
