import { UnsupportedVersionError } from '../errors/unsupported-version-error.js'
import { type ApiInfo, isFlexibleVersion } from '../messages/api-info.js'
import { apis } from '../messages/generated/index.js'

const API_VERSIONS_KEY = 18
const CONTROLLED_SHUTDOWN_KEY = 7

function apiFor(apiKey: number): ApiInfo {
  const api = apis[apiKey]
  if (api === undefined) {
    throw new UnsupportedVersionError(
      `API key ${apiKey} has no codec in @x/protocol, so its header version is unknown: add it to tools/codegen's allow-list.`,
    )
  }
  return api
}

/** Request header version for `api` at `apiVersion`: 2 in flexible versions, else 1 (0 for ControlledShutdown v0). */
export function requestHeaderVersionFor(api: ApiInfo, apiVersion: number): number {
  if (api.apiKey === CONTROLLED_SHUTDOWN_KEY && apiVersion === 0) return 0
  return isFlexibleVersion(api, apiVersion) ? 2 : 1
}

/**
 * Response header version for `api` at `apiVersion`: 1 in flexible versions, else 0. ApiVersions responses
 * always use 0, whatever the version: a client that does not yet know the broker's versions must be able to
 * read them (KIP-511).
 */
export function responseHeaderVersionFor(api: ApiInfo, apiVersion: number): number {
  if (api.apiKey === API_VERSIONS_KEY) return 0
  return isFlexibleVersion(api, apiVersion) ? 1 : 0
}

/** Request header version for an API key of the `apis` table (Java's `ApiKeys.requestHeaderVersion`). */
export function requestHeaderVersion(apiKey: number, apiVersion: number): number {
  if (apiKey === CONTROLLED_SHUTDOWN_KEY && apiVersion === 0) return 0
  return requestHeaderVersionFor(apiFor(apiKey), apiVersion)
}

/** Response header version for an API key of the `apis` table (Java's `ApiKeys.responseHeaderVersion`). */
export function responseHeaderVersion(apiKey: number, apiVersion: number): number {
  if (apiKey === API_VERSIONS_KEY) return 0
  return responseHeaderVersionFor(apiFor(apiKey), apiVersion)
}
