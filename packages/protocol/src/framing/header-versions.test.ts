// Header versions as Java's ApiKeys.requestHeaderVersion / responseHeaderVersion choose them: flexible API
// versions use request header v2 and response header v1, except ApiVersions responses (always v0, KIP-511)
// and ControlledShutdown v0 (request header v0).
import { describe, expect, it } from 'vitest'
import { UnsupportedVersionError } from '../errors/unsupported-version-error.js'
import { apiVersionsApi, metadataApi, produceApi, saslHandshakeApi } from '../messages/generated/index.js'
import {
  requestHeaderVersion,
  requestHeaderVersionFor,
  responseHeaderVersion,
  responseHeaderVersionFor,
} from './header-versions.js'

describe('header versions', () => {
  it('uses request header v2 and response header v1 from the first flexible version', () => {
    expect(requestHeaderVersion(produceApi.apiKey, 8)).toBe(1)
    expect(requestHeaderVersion(produceApi.apiKey, 9)).toBe(2)
    expect(responseHeaderVersion(produceApi.apiKey, 8)).toBe(0)
    expect(responseHeaderVersion(produceApi.apiKey, 9)).toBe(1)
    expect(requestHeaderVersion(metadataApi.apiKey, 12)).toBe(2)
  })

  it('answers ApiVersions with response header v0 at every version', () => {
    for (let version = 0; version <= apiVersionsApi.maxVersion + 2; version++) {
      expect(responseHeaderVersion(apiVersionsApi.apiKey, version)).toBe(0)
    }
    expect(requestHeaderVersion(apiVersionsApi.apiKey, 3)).toBe(2)
  })

  it('keeps header v1/v0 for APIs that have no flexible version', () => {
    expect(requestHeaderVersionFor(saslHandshakeApi, 1)).toBe(1)
    expect(responseHeaderVersionFor(saslHandshakeApi, 1)).toBe(0)
  })

  it('uses request header v0 for ControlledShutdown v0', () => {
    expect(requestHeaderVersion(7, 0)).toBe(0)
  })

  it('refuses API keys it has no codec for', () => {
    expect(() => requestHeaderVersion(9999, 0)).toThrow(UnsupportedVersionError)
  })
})
