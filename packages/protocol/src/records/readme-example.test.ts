// The README's "Example: build and decode a record batch" must be this code, and this code must run.
import { readFileSync } from 'node:fs'
import { CodecRegistry, decodeRecordBatches, RecordBatchBuilder } from '@x/protocol'
import { describe, expect, it, vi } from 'vitest'

const IMPORT_LINES = `import { CodecRegistry, decodeRecordBatches, RecordBatchBuilder } from '@x/protocol'`

function exampleFromReadme(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const match = /<!-- example: build-record-batch -->\n```ts\n([\s\S]*?)```/.exec(readme)
  if (!match) throw new Error('README.md lost its build-record-batch example')
  return match[1]!
}

function exampleFromThisFile(): string {
  const source = readFileSync(new URL(import.meta.url), 'utf8')
  // markers built at run time so these lines do not match themselves
  const startMarker = `// example-${'start'}\n`
  const start = source.indexOf(startMarker) + startMarker.length
  const body = source.slice(start, source.indexOf(`    // example-${'end'}`))
  return `${IMPORT_LINES}\n\n${body.replace(/^ {4}/gm, '')}`
}

describe('README record batch example', () => {
  it('is the code this test runs', () => {
    expect(exampleFromReadme()).toBe(exampleFromThisFile())
  })

  it('builds an lz4 batch into a pooled buffer and decodes it back', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    // example-start
    const codecs = CodecRegistry.default()
    await codecs.prepare() // once at start-up: loads zstd's WebAssembly on Node < 22.15

    const pooled = new Uint8Array(16384) // memory from the producer's BufferPool
    const builder = new RecordBatchBuilder(pooled, { compression: 'lz4', codecs, writeLimit: 16384 })
    const now = 1_700_000_000_000
    const key = new TextEncoder().encode('user-1')
    const value = new TextEncoder().encode('{"clicks":3}')
    if (builder.hasRoomFor(now, key, value, null)) {
      builder.append(now, key, value, [{ key: 'trace', value: null }]) // → offset delta 0
    }
    builder.setProducerState(4000n, 0, 0, false) // idempotence: producer id, epoch, base sequence
    const batch = builder.close() // one RecordBatch v2 (a view of `pooled`), ready for a Produce request

    const [decoded] = decodeRecordBatches(batch, { codecs })
    const record = decoded!.records[0]!
    console.log(decoded!.compression, decoded!.producerId, new TextDecoder().decode(record.value!)) // lz4 4000n {"clicks":3}
    // example-end
    expect(log).toHaveBeenCalledWith('lz4', 4000n, '{"clicks":3}')
    expect(batch.buffer).toBe(pooled.buffer)
    log.mockRestore()
  })
})
