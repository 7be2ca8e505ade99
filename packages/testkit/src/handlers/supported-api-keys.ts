import type { ApiVersionsResponseApiVersion } from '@x/protocol'
import { type ApiName, type ApiVersionRanges, apiCodecs } from '../api-codecs.js'

const cache = new WeakMap<ApiVersionRanges, ApiVersionsResponseApiVersion[]>()

/** The ApiVersions list a broker announcing `ranges` answers with, by API key. */
export function supportedApiKeys(ranges: ApiVersionRanges): ApiVersionsResponseApiVersion[] {
  let list = cache.get(ranges)
  if (list === undefined) {
    list = (Object.keys(ranges) as ApiName[])
      .map((name) => ({
        apiKey: apiCodecs[name].api.apiKey,
        minVersion: ranges[name].min,
        maxVersion: ranges[name].max,
      }))
      .sort((a, b) => a.apiKey - b.apiKey)
    cache.set(ranges, list)
  }
  return list
}
