// UUID text form: Java's org.apache.kafka.common.Uuid.toString() (URL-safe base64, no padding). The vector
// pR2Jc9wXRd2tNbXsoGn6Qw <-> a51d8973dc1745ddad35b5eca069fa43 is the topic id written by kafka-clients 3.9.2 in
// __fixtures__/java-3.9.2-goldens.json ("MetadataResponse v12").
import { describe, expect, it } from 'vitest'
import { ProtocolEncodeError } from '../errors/protocol-encode-error.js'
import { readUuidBytes, writeUuidBytes, ZERO_UUID } from './uuid.js'

const toBytes = (uuid: string) => {
  const bytes = new Uint8Array(16)
  writeUuidBytes(bytes, 0, uuid)
  return Buffer.from(bytes).toString('hex')
}

describe('Kafka UUID strings', () => {
  it('converts between the text form and the 16 wire bytes', () => {
    expect(toBytes('pR2Jc9wXRd2tNbXsoGn6Qw')).toBe('a51d8973dc1745ddad35b5eca069fa43')
    expect(readUuidBytes(new Uint8Array(Buffer.from('a51d8973dc1745ddad35b5eca069fa43', 'hex')), 0)).toBe(
      'pR2Jc9wXRd2tNbXsoGn6Qw',
    )
  })

  it('matches Node base64url for arbitrary bytes', () => {
    for (let seed = 0; seed < 50; seed++) {
      const bytes = new Uint8Array(16).map((_, index) => (seed * 37 + index * 101) & 0xff)
      const text = Buffer.from(bytes).toString('base64url')
      expect(readUuidBytes(bytes, 0)).toBe(text)
      expect(toBytes(text)).toBe(Buffer.from(bytes).toString('hex'))
    }
  })

  it('has ZERO_UUID as all zero bytes', () => {
    expect(toBytes(ZERO_UUID)).toBe('00'.repeat(16))
  })

  it('rejects strings that are not 22 URL-safe base64 characters of 16 bytes', () => {
    expect(() => toBytes('too-short')).toThrow(ProtocolEncodeError)
    expect(() => toBytes('pR2Jc9wXRd2tNbXsoGn6Q+')).toThrow(/not URL-safe base64/)
    expect(() => toBytes('pR2Jc9wXRd2tNbXsoGn6Qx')).toThrow(/beyond 16 bytes/)
  })
})
