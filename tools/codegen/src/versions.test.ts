// Version range semantics of Kafka's generator (org.apache.kafka.message.Versions): "N+" is open-ended up to
// Short.MAX_VALUE, "A-B" inclusive, "none" empty.
import { describe, expect, it } from 'vitest'
import { MAX_VERSION, Versions, versionCondition } from './versions.js'

describe('Versions', () => {
  it('parses the spec forms', () => {
    expect(Versions.parse('3+', Versions.NONE)).toEqual(new Versions(3, MAX_VERSION))
    expect(Versions.parse('1-4', Versions.NONE)).toEqual(new Versions(1, 4))
    expect(Versions.parse('5', Versions.NONE)).toEqual(new Versions(5, 5))
    expect(Versions.parse('none', Versions.ALL).empty).toBe(true)
    expect(Versions.parse(undefined, Versions.ALL)).toBe(Versions.ALL)
    expect(() => Versions.parse('x+', Versions.NONE)).toThrow(/Invalid version range/)
  })

  it('intersects and subtracts contiguous ranges', () => {
    const all = Versions.parse('0+', Versions.NONE)
    expect(all.intersect(new Versions(3, 7))).toEqual(new Versions(3, 7))
    expect(new Versions(0, 2).intersect(new Versions(3, 7)).empty).toBe(true)
    expect(new Versions(0, 17).subtract(Versions.parse('12+', Versions.NONE))).toEqual(new Versions(0, 11))
    expect(new Versions(3, 9).subtract(new Versions(0, 4))).toEqual(new Versions(5, 9))
    expect(new Versions(3, 9).subtract(new Versions(0, 20)).empty).toBe(true)
    expect(() => new Versions(0, 9).subtract(new Versions(3, 4))).toThrow(/not contiguous/)
  })

  it('prints as the specs write ranges', () => {
    expect(`${new Versions(9, MAX_VERSION)}`).toBe('9+')
    expect(`${new Versions(8, 10)}`).toBe('8-10')
    expect(`${new Versions(4, 4)}`).toBe('4')
    expect(`${Versions.NONE}`).toBe('none')
  })
})

describe('versionCondition', () => {
  const possible = new Versions(0, 12)
  it('emits no check the context already guarantees', () => {
    expect(versionCondition(Versions.ALL, possible)).toBe(true)
    expect(versionCondition(new Versions(13, 20), possible)).toBe(false)
    expect(versionCondition(new Versions(4, MAX_VERSION), possible)).toBe('version >= 4')
    expect(versionCondition(new Versions(0, 10), possible)).toBe('version <= 10')
    expect(versionCondition(new Versions(8, 10), possible)).toBe('version >= 8 && version <= 10')
    expect(versionCondition(new Versions(8, MAX_VERSION), new Versions(9, 12))).toBe(true)
  })
})
