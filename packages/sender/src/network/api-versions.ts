import { type ApiInfo, UnsupportedVersionError } from '@x/protocol'

/** One API as a broker announced it in its ApiVersions response. */
export interface BrokerApiVersion {
  readonly apiKey: number
  readonly minVersion: number
  readonly maxVersion: number
}

/**
 * The API versions one broker supports (Java `NodeApiVersions`), and the negotiation: for each API, the
 * highest version both this client's codecs and the broker speak. Built from the ApiVersions response the
 * connection gets on connect.
 */
export class NodeApiVersions {
  private readonly byKey = new Map<number, BrokerApiVersion>()
  /** Cache of negotiated versions: one lookup per request on the hot path. */
  private readonly usable = new Map<number, number>()

  constructor(apis: readonly BrokerApiVersion[]) {
    for (const api of apis) this.byKey.set(api.apiKey, api)
  }

  /** The broker's range for `apiKey`, if it announced one. */
  brokerRange(apiKey: number): BrokerApiVersion | undefined {
    return this.byKey.get(apiKey)
  }

  /** True when some version of `api` is spoken by both sides (within `minVersion` when given). */
  supports(api: ApiInfo, minVersion = api.minVersion): boolean {
    const broker = this.byKey.get(api.apiKey)
    if (broker === undefined) return false
    return (
      Math.min(broker.maxVersion, api.maxVersion) >= Math.max(broker.minVersion, api.minVersion, minVersion)
    )
  }

  /**
   * The highest version of `api` both sides speak, at least `minVersion` (e.g. Produce v3 for RecordBatch
   * v2). Throws `UnsupportedVersionError` naming both ranges when there is none.
   */
  latestUsableVersion(api: ApiInfo, minVersion = api.minVersion): number {
    if (minVersion === api.minVersion) {
      const cached = this.usable.get(api.apiKey)
      if (cached !== undefined) return cached
    }
    const broker = this.byKey.get(api.apiKey)
    if (broker === undefined) {
      throw new UnsupportedVersionError(
        `The broker does not support ${api.name} (API key ${api.apiKey}) at all: it is not in its ApiVersions response.`,
      )
    }
    const low = Math.max(broker.minVersion, api.minVersion, minVersion)
    const high = Math.min(broker.maxVersion, api.maxVersion)
    if (high < low) {
      throw new UnsupportedVersionError(
        `No version of ${api.name} is spoken by both sides: the broker supports ${broker.minVersion}-${broker.maxVersion}, ` +
          `this client ${Math.max(api.minVersion, minVersion)}-${api.maxVersion}. Upgrade the broker or the client.`,
      )
    }
    if (minVersion === api.minVersion) this.usable.set(api.apiKey, high)
    return high
  }

  toString(): string {
    return [...this.byKey.values()]
      .map((api) => `${api.apiKey}:${api.minVersion}-${api.maxVersion}`)
      .join(', ')
  }
}
