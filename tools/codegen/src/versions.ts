/**
 * A contiguous range of message versions, as the specs write them: "0+", "3-7", "5", "none". Open-ended
 * ranges end at 32767 (Java's `Short.MAX_VALUE`), as in Java's `Versions`.
 */
export const MAX_VERSION = 0x7fff

export class Versions {
  static readonly NONE = new Versions(1, 0)
  static readonly ALL = new Versions(0, MAX_VERSION)

  constructor(
    readonly lowest: number,
    readonly highest: number,
  ) {}

  /** Parses a spec version string; `undefined` gives `fallback`. */
  static parse(text: string | undefined, fallback: Versions): Versions {
    if (text === undefined) return fallback
    const trimmed = text.trim()
    if (trimmed === 'none') return Versions.NONE
    if (trimmed.endsWith('+')) return new Versions(parseVersion(trimmed.slice(0, -1), text), MAX_VERSION)
    const dash = trimmed.indexOf('-')
    if (dash >= 0) {
      return new Versions(
        parseVersion(trimmed.slice(0, dash), text),
        parseVersion(trimmed.slice(dash + 1), text),
      )
    }
    const single = parseVersion(trimmed, text)
    return new Versions(single, single)
  }

  get empty(): boolean {
    return this.lowest > this.highest
  }

  contains(version: number): boolean {
    return version >= this.lowest && version <= this.highest
  }

  intersect(other: Versions): Versions {
    const lowest = Math.max(this.lowest, other.lowest)
    const highest = Math.min(this.highest, other.highest)
    return lowest > highest ? Versions.NONE : new Versions(lowest, highest)
  }

  equals(other: Versions): boolean {
    return (this.empty && other.empty) || (this.lowest === other.lowest && this.highest === other.highest)
  }

  /**
   * This range without `other`. Only shapes the specs use are supported (the result must be contiguous):
   * Java's generator has the same rule.
   */
  subtract(other: Versions): Versions {
    if (other.empty || this.empty) return this
    const common = this.intersect(other)
    if (common.empty) return this
    if (common.equals(this)) return Versions.NONE
    if (common.lowest > this.lowest && common.highest < this.highest) {
      throw new Error(`Cannot subtract ${other} from ${this}: the result is not contiguous`)
    }
    return common.lowest > this.lowest
      ? new Versions(this.lowest, common.lowest - 1)
      : new Versions(common.highest + 1, this.highest)
  }

  toString(): string {
    if (this.empty) return 'none'
    if (this.highest === MAX_VERSION) return `${this.lowest}+`
    if (this.lowest === this.highest) return `${this.lowest}`
    return `${this.lowest}-${this.highest}`
  }
}

function parseVersion(text: string, whole: string): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0 || value > MAX_VERSION)
    throw new Error(`Invalid version range "${whole}"`)
  return value
}

/**
 * The condition under which `target` holds, knowing the version is within `possible`: `true`, `false`, or
 * a TypeScript expression over `version`. Mirrors Java's `VersionConditional`: no check is emitted that the
 * context already guarantees.
 */
export function versionCondition(target: Versions, possible: Versions): true | false | string {
  const common = target.intersect(possible)
  if (common.empty) return false
  if (common.equals(possible)) return true
  const parts: string[] = []
  if (common.lowest > possible.lowest) parts.push(`version >= ${common.lowest}`)
  if (common.highest < possible.highest) parts.push(`version <= ${common.highest}`)
  return parts.join(' && ')
}
