// Payload-file vectors: what java.util.Scanner (OpenJDK 17) returned for these inputs with
// useDelimiter("\n") / (","), as ProducerPerformance reads --payload-file.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CliUsageError } from '../cli-usage-error.js'
import { PayloadSource, readPayloadFile } from './payload-source.js'

const decoder = new TextDecoder()

function payloadsOf(content: string, delimiter: string): string[] {
  const path = join(mkdtempSync(join(tmpdir(), 'x-kafka-payloads-')), 'payloads.txt')
  writeFileSync(path, content)
  const lines: string[] = []
  const payloads = readPayloadFile(path, delimiter, (line) => lines.push(line))
  expect(lines).toEqual([`Reading payloads from: ${path}`, `Number of messages read: ${payloads.length}`])
  return payloads.map((payload) => decoder.decode(payload))
}

describe('readPayloadFile', () => {
  it("splits as Java's Scanner: empty values kept, one leading and the trailing delimiter dropped", () => {
    expect(payloadsOf('a\n\nb\n', '\n')).toEqual(['a', '', 'b'])
    expect(payloadsOf('\na\nb', '\n')).toEqual(['a', 'b'])
    expect(payloadsOf('a\n\n\nb\n\n', '\n')).toEqual(['a', '', '', 'b', ''])
    expect(payloadsOf('x,y,,z,', ',')).toEqual(['x', 'y', '', 'z'])
    expect(payloadsOf('a', '\n')).toEqual(['a'])
  })

  it('treats the delimiter as a regular expression, as Scanner.useDelimiter does', () => {
    expect(payloadsOf('a1b22c', '\\d+')).toEqual(['a', 'b', 'c'])
  })

  it('refuses a missing or empty file with the Java message', () => {
    const empty = join(mkdtempSync(join(tmpdir(), 'x-kafka-payloads-')), 'empty.txt')
    writeFileSync(empty, '')
    expect(() => readPayloadFile(empty, '\n', () => {})).toThrow(/File does not exist or empty file provided/)
    expect(() => readPayloadFile('/nonexistent/file', '\n', () => {})).toThrow(CliUsageError)
  })
})

describe('PayloadSource', () => {
  it('makes random A–Z values of --record-size bytes, new bytes for every record', () => {
    const source = PayloadSource.randomLetters(100)
    const first = Uint8Array.from(source.next(0, true))
    const second = source.next(1, true)
    expect(first).toHaveLength(100)
    expect([...first, ...second].every((byte) => byte >= 65 && byte <= 90)).toBe(true)
    expect(decoder.decode(first)).not.toBe(decoder.decode(second))
  })

  it('uses every letter about equally often', () => {
    const source = PayloadSource.randomLetters(1000)
    const counts = new Array<number>(26).fill(0)
    for (let index = 0; index < 100; index++)
      for (const byte of source.next(index, true)) counts[byte - 65]!++
    for (const count of counts) expect(count).toBeGreaterThan(3200) // 100,000 / 26 ≈ 3846
  })

  it('refills the same buffer only while reuse is allowed', () => {
    const source = PayloadSource.randomLetters(8)
    const first = source.next(0, true)
    expect(source.next(1, true)).toBe(first)
    expect(source.next(2, false)).not.toBe(first)
  })

  it('sends the record number for --payload-monotonic and picks from the file payloads', () => {
    expect(decoder.decode(PayloadSource.monotonic().next(42, true))).toBe('42')
    const picked = PayloadSource.fromPayloads([new Uint8Array([1]), new Uint8Array([2])])
    const seen = new Set(Array.from({ length: 50 }, (_, index) => picked.next(index, true)[0]))
    expect(seen).toEqual(new Set([1, 2]))
  })
})
