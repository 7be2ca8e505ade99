import type { ApiVersionsResponseApiVersion } from '@x/protocol'
import { type ApiName, advertisedVersions, apiCodecs } from '../api-codecs.js'

let cached: ApiVersionsResponseApiVersion[] | undefined

/** The ApiVersions list of the embedded broker, by API key. */
export function supportedApiKeys(): ApiVersionsResponseApiVersion[] {
  cached ??= (Object.keys(advertisedVersions) as ApiName[])
    .map((name) => ({
      apiKey: apiCodecs[name].api.apiKey,
      minVersion: advertisedVersions[name].min,
      maxVersion: advertisedVersions[name].max,
    }))
    .sort((a, b) => a.apiKey - b.apiKey)
  return cached
}
