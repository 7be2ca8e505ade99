// Behaviour of kcat 1.7.1's producer loop (kcat.c, producer_run): key at the first -K occurrence, -Z only
// after a split, -k when no key came from -K.
import { describe, expect, it } from 'vitest'
import { type KeyedMessageOptions, toKeyedMessage } from './keyed-message.js'

const options = (overrides: Partial<KeyedMessageOptions> = {}): KeyedMessageOptions => ({
  keyDelimiter: Buffer.from(':'),
  fixedKey: undefined,
  nullEmpty: false,
  ...overrides,
})
const show = ({ key, value }: { key: Uint8Array | null; value: Uint8Array | null }) => [
  key === null ? null : Buffer.from(key).toString(),
  value === null ? null : Buffer.from(value).toString(),
]

describe('toKeyedMessage', () => {
  it('splits at the first occurrence of the key delimiter', () => {
    expect(show(toKeyedMessage(Buffer.from('k1:v:1'), options()))).toEqual(['k1', 'v:1'])
  })

  it('sends a message without the delimiter as a value with no key', () => {
    expect(show(toKeyedMessage(Buffer.from('just a value'), options()))).toEqual([null, 'just a value'])
  })

  it('keeps empty keys and values empty unless -Z makes them NULL', () => {
    expect(show(toKeyedMessage(Buffer.from(':'), options()))).toEqual(['', ''])
    expect(show(toKeyedMessage(Buffer.from(':'), options({ nullEmpty: true })))).toEqual([null, null])
    expect(show(toKeyedMessage(Buffer.from('k:'), options({ nullEmpty: true })))).toEqual(['k', null])
  })

  it('gives the -k key to messages that got none from -K, including a key -Z made NULL', () => {
    const fixedKey = Buffer.from('fixed')
    expect(show(toKeyedMessage(Buffer.from('v'), options({ fixedKey })))).toEqual(['fixed', 'v'])
    expect(show(toKeyedMessage(Buffer.from('k:v'), options({ fixedKey })))).toEqual(['k', 'v'])
    expect(show(toKeyedMessage(Buffer.from(':v'), options({ fixedKey, nullEmpty: true })))).toEqual([
      'fixed',
      'v',
    ])
    expect(show(toKeyedMessage(Buffer.from('a:b'), options({ keyDelimiter: undefined, fixedKey })))).toEqual([
      'fixed',
      'a:b',
    ])
  })
})
