/**
 * What a client needs to know about one Kafka API to negotiate versions and pick header versions: its key,
 * the version range this code can write and read, and the flexible (KIP-482, compact encodings and tagged
 * fields) range, `null` when the API has no flexible version. A flexible range is open-ended in the specs
 * ("9+"); `max` is then 32767, as Java's `Versions` reads "+".
 */
export interface ApiInfo {
  readonly apiKey: number
  /** The API's name as the specs spell it, e.g. `Produce`. */
  readonly name: string
  readonly minVersion: number
  readonly maxVersion: number
  readonly flexibleVersions: { readonly min: number; readonly max: number } | null
}

/** True when `version` of `api` uses the flexible encodings (compact lengths, tagged fields). */
export function isFlexibleVersion(api: ApiInfo, version: number): boolean {
  const flexible = api.flexibleVersions
  return flexible !== null && version >= flexible.min && version <= flexible.max
}
