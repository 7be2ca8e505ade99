// The generator's output for spec features no allow-listed Kafka API uses, from the made-up Widget API in
// __fixtures__/specs (its generated code is committed in __fixtures__/generated and type-checked with the
// package). Byte layouts follow the protocol guide; version rules follow Kafka's MessageDataGenerator.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ProtocolEncodeError, Reader, UnsupportedVersionError, Writer } from '@x/protocol'
import { describe, expect, it } from 'vitest'
import {
  readWidgetRequest,
  readWidgetResponse,
  type WidgetRequestInput,
  widgetApi,
  writeWidgetRequest,
  writeWidgetResponse,
} from './__fixtures__/generated/widget.js'
import { fixture } from './config.js'
import { diffGenerated } from './diff-generated.js'
import { generate } from './generate.js'
import { loadSpec } from './load-specs.js'
import { roundTripEveryVersion } from './testing/round-trip.js'

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))
const specsDir = resolve(repoRoot, fixture.specsDir)
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const encode = (version: number, value: WidgetRequestInput) => {
  const writer = new Writer()
  writeWidgetRequest(writer, version, value)
  return writer.toUint8Array()
}
const base: WidgetRequestInput = {
  clientTag: 'c',
  port: 0,
  label: 'l',
  payload: new Uint8Array(0),
  offsets: [],
  parts: [],
}

describe('generated code for the Widget fixture spec', () => {
  it('is up to date with the generator', () => {
    const files = generate({ specsDir, apis: fixture.apis, headers: [], importBase: fixture.importBase })
    expect(diffGenerated(files, resolve(repoRoot, fixture.outDir))).toEqual([])
  })

  it('round-trips requests and responses at every version', () => {
    roundTripEveryVersion(
      loadSpec(specsDir, 'WidgetRequest.json'),
      writeWidgetRequest as never,
      readWidgetRequest,
    )
    roundTripEveryVersion(
      loadSpec(specsDir, 'WidgetResponse.json'),
      writeWidgetResponse as never,
      readWidgetResponse,
    )
    expect(widgetApi).toEqual({
      apiKey: 10000,
      name: 'Widget',
      minVersion: 0,
      maxVersion: 3,
      flexibleVersions: { min: 2, max: 32767 },
    })
  })

  it('writes uint16, uint32 and float64 big-endian, and a classic string where the field overrides flexibility', () => {
    const bytes = encode(2, { ...base, clientTag: 'ab', ratio: 1.5, port: 65_535, quota: 4_294_967_295 })
    // int16 length 2 "ab" | float64 1.5 | uint16 ffff | uint32 ffffffff | compact "l"
    expect(hex(bytes.subarray(0, 20))).toBe(`00026162${'3ff8000000000000'}ffffffffffff026c`)
    expect(readWidgetRequest(new Reader(bytes), 2)).toMatchObject({
      port: 65_535,
      quota: 4_294_967_295,
      ratio: 1.5,
    })
  })

  it('writes a non-tagged nullable struct with an int8 presence marker', () => {
    const none = encode(0, base)
    const some = encode(0, { ...base, cursor: { name: 'n', position: 5n } })
    // after clientTag (0001 63), port (0000), quota (00000010), label (0001 6c): ff for null, 01 then the struct
    expect(hex(none.subarray(12, 13))).toBe('ff')
    expect(hex(some.subarray(12, 24))).toBe('0100016e0000000000000005')
    expect(readWidgetRequest(new Reader(some), 0).cursor).toEqual({ name: 'n', position: 5n })
  })

  it('writes a nullable tagged string with a non-null default only when it differs, null as tag, size 1, 00', () => {
    const atDefault = encode(2, { ...base, region: 'eu' })
    expect(hex(atDefault.subarray(atDefault.length - 1))).toBe('00')
    const nulled = encode(2, { ...base, region: null })
    expect(hex(nulled.subarray(nulled.length - 4))).toBe('01000100')
    expect(readWidgetRequest(new Reader(nulled), 2).region).toBeNull()
    expect(readWidgetRequest(new Reader(atDefault), 2).region).toBe('eu')
  })

  it('moves a field from the body to the tagged section in the versions that tag it', () => {
    const v1 = encode(1, { ...base, payload: new Uint8Array([]), priority: 9 })
    expect(hex(v1.subarray(v1.length - 4))).toBe('00000009')
    const v2 = encode(2, { ...base, priority: 9 })
    // tagged section: count 1, tag 5, size 4, 00000009
    expect(hex(v2.subarray(v2.length - 7))).toBe('01050400000009')
    expect(readWidgetRequest(new Reader(v2), 2).priority).toBe(9)
  })

  it('throws for null where the version does not allow it, naming the field', () => {
    expect(() => encode(1, { ...base, label: null })).toThrow(ProtocolEncodeError)
    expect(() => encode(1, { ...base, label: null })).toThrow(
      /WidgetRequest.label is null but is not nullable at version 1/,
    )
    expect(() => encode(0, { ...base, payload: null })).toThrow(/WidgetRequest.payload/)
  })

  it('throws for non-default values of non-ignorable fields the version lacks, drops ignorable ones', () => {
    expect(() => encode(1, { ...base, payload: null, owner: 'pR2Jc9wXRd2tNbXsoGn6Qw' })).toThrow(
      UnsupportedVersionError,
    )
    expect(() => encode(2, { ...base, limits: { max: 1 } })).toThrow(/WidgetRequest.limits at version 2/)
    const ids = ['pR2Jc9wXRd2tNbXsoGn6Qw']
    expect(readWidgetRequest(new Reader(encode(2, { ...base, ids })), 2).ids).toEqual([])
    expect(readWidgetRequest(new Reader(encode(3, { ...base, ids })), 3).ids).toEqual(ids)
  })

  it('writes a non-tagged struct field of later versions only when it is at its default in earlier ones', () => {
    const write = (version: number, stats?: { count: number; active?: boolean }) => {
      const writer = new Writer()
      writeWidgetResponse(writer, version, { errorCode: 0, score: 0, stats })
      return writer.toUint8Array()
    }
    expect(hex(write(0, { count: 0, active: true }))).toBe('00000000000000000000')
    expect(() => write(0, { count: 1 })).toThrow(/WidgetResponse.stats/)
    expect(readWidgetResponse(new Reader(write(0)), 0).stats).toEqual({
      count: 0,
      active: true,
      unknownTaggedFields: undefined,
    })
  })
})
