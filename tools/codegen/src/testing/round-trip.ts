import { Reader, Writer } from '@x/protocol'
import { expect } from 'vitest'
import type { MessageSpec } from '../spec-model.js'
import { type SampleMode, sampleStruct } from './sample-message.js'

export type WriteFn = (writer: Writer, version: number, value: unknown) => void
export type ReadFn = (reader: Reader, version: number) => unknown

/** Writes, reads and rewrites samples of `message` at every version; returns how many were checked. */
export function roundTripEveryVersion(message: MessageSpec, write: WriteFn, read: ReadFn): number {
  let checked = 0
  for (let version = message.validVersions.lowest; version <= message.validVersions.highest; version++) {
    for (const mode of ['full', 'sparse'] as SampleMode[]) {
      const sample = sampleStruct(message.root, version, mode, version + 1)
      const writer = new Writer(32)
      write(writer, version, sample.input)
      const bytes = writer.toUint8Array()
      const reader = new Reader(bytes)
      const decoded = read(reader, version)
      expect(decoded, `${message.name} v${version} ${mode}`).toEqual(sample.expected)
      expect(reader.remaining, `${message.name} v${version} ${mode}: bytes left`).toBe(0)
      const again = new Writer()
      write(again, version, decoded)
      expect(
        Buffer.from(again.toUint8Array()).equals(Buffer.from(bytes)),
        `${message.name} v${version} rewrite`,
      ).toBe(true)
      checked++
    }
  }
  return checked
}
