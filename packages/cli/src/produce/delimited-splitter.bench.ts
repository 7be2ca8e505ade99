// The per-message cost of `x-kafka produce`'s input path: splitting 64 KiB chunks of keyed lines, and the
// key/value split of each message. Run: npx vitest bench --run --project cli
import { bench, describe } from 'vitest'
import { DelimitedSplitter } from './delimited-splitter.js'
import { toKeyedMessage } from './keyed-message.js'

const lines = Array.from({ length: 20_000 }, (_, index) => `customer-${index % 997}:${'x'.repeat(90)}`).join(
  '\n',
)
const input = Buffer.from(`${lines}\n`)
const chunks: Buffer[] = []
for (let at = 0; at < input.length; at += 65_536) chunks.push(input.subarray(at, at + 65_536))
const keyed = { keyDelimiter: Buffer.from(':'), fixedKey: undefined, nullEmpty: false }

describe('20,000 lines of ~100 bytes in 64 KiB chunks', () => {
  bench('split at \\n', () => {
    let count = 0
    const splitter = new DelimitedSplitter(Buffer.from('\n'), () => {
      count++
    })
    for (const chunk of chunks) splitter.push(chunk)
    splitter.end()
    if (count !== 20_000) throw new Error(`split ${count} lines`)
  })

  bench('split at \\n and at the key delimiter', () => {
    let keys = 0
    const splitter = new DelimitedSplitter(Buffer.from('\n'), (message) => {
      if (toKeyedMessage(message, keyed).key !== null) keys++
    })
    for (const chunk of chunks) splitter.push(chunk)
    splitter.end()
    if (keys !== 20_000) throw new Error(`keyed ${keys} lines`)
  })

  bench('split at a 3-byte delimiter', () => {
    const splitter = new DelimitedSplitter(Buffer.from('<|>'), () => {})
    for (const chunk of chunks) splitter.push(chunk)
    splitter.end()
  })
})
