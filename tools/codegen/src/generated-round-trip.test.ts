// Round trip of every generated API, request and response, at every version the specs declare: a value built
// from the spec (testing/sample-message.ts) is written, read back to the expected value (defaults for fields
// the version lacks) and written again to the same bytes.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as protocol from '@x/protocol'
import { describe, expect, it } from 'vitest'
import { apis, defaultSpecsDir } from './config.js'
import { loadSpec } from './load-specs.js'
import { type ReadFn, roundTripEveryVersion, type WriteFn } from './testing/round-trip.js'

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))
const specsDir = resolve(repoRoot, defaultSpecsDir)
const codecs = protocol as unknown as Record<string, WriteFn | ReadFn>

describe('every generated API round-trips at every version', () => {
  for (const api of apis) {
    for (const kind of ['Request', 'Response']) {
      it(`${api}${kind}`, () => {
        const message = loadSpec(specsDir, `${api}${kind}.json`)
        const write = codecs[`write${message.name}`] as WriteFn
        const read = codecs[`read${message.name}`] as ReadFn
        expect(write, `write${message.name} is exported`).toBeTypeOf('function')
        expect(read, `read${message.name} is exported`).toBeTypeOf('function')
        const checked = roundTripEveryVersion(message, write, read)
        expect(checked).toBe(2 * (message.validVersions.highest - message.validVersions.lowest + 1))
      })
    }
  }

  for (const header of ['RequestHeader', 'ResponseHeader']) {
    it(header, () => {
      const message = loadSpec(specsDir, `${header}.json`)
      roundTripEveryVersion(message, codecs[`write${header}`] as WriteFn, codecs[`read${header}`] as ReadFn)
    })
  }

  it('lists every API in the apis table with the versions of its specs', () => {
    for (const api of apis) {
      const request = loadSpec(specsDir, `${api}Request.json`)
      const info = protocol.apis[request.apiKey!]
      expect(info).toMatchObject({
        apiKey: request.apiKey,
        name: api,
        minVersion: request.validVersions.lowest,
        maxVersion: request.validVersions.highest,
      })
      const flexible = request.flexibleVersions.intersect(request.validVersions)
      expect(info!.flexibleVersions).toEqual(flexible.empty ? null : { min: flexible.lowest, max: 32767 })
    }
  })
})
