import { describe, expect, it } from 'vitest'
import { DelimitedSplitter } from './delimited-splitter.js'

/** Splits `input` fed in chunks of the given sizes (cycled). */
function split(input: Buffer, delimiter: string, chunkSizes: number[]): string[] {
  const messages: string[] = []
  const splitter = new DelimitedSplitter(Buffer.from(delimiter), (message) =>
    messages.push(message.toString()),
  )
  for (let at = 0, index = 0; at < input.length; index++) {
    const size = chunkSizes[index % chunkSizes.length]!
    splitter.push(input.subarray(at, at + size))
    at += size
  }
  splitter.end()
  return messages
}

/** The expected result: a plain left-to-right split, nothing after a final delimiter. */
function reference(input: string, delimiter: string): string[] {
  const parts = input.split(delimiter)
  if (parts.at(-1) === '') parts.pop()
  return parts
}

/** xorshift32, seeded: the same cases on every run. */
function random(seed: number) {
  let state = seed
  return (bound: number) => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) % bound
  }
}

describe('DelimitedSplitter', () => {
  it('splits lines and keeps the last one without a newline', () => {
    expect(split(Buffer.from('a\nbb\n\nc'), '\n', [100])).toEqual(['a', 'bb', '', 'c'])
  })

  it('finds delimiters of any length across any chunk boundaries', () => {
    const next = random(7)
    for (const delimiter of ['\n', '::', '<|>', 'abab']) {
      for (let trial = 0; trial < 500; trial++) {
        const alphabet = 'xab:<|'
        const parts = Array.from({ length: 1 + next(5) }, () =>
          Array.from({ length: next(6) }, () => alphabet[next(alphabet.length)]).join(''),
        )
        const input = parts.join(delimiter) + (next(2) === 0 ? delimiter : '')
        const chunkSizes = [1 + next(4), 1 + next(4), 1 + next(4)]
        expect(
          split(Buffer.from(input), delimiter, chunkSizes),
          `${JSON.stringify(input)} ${chunkSizes}`,
        ).toEqual(reference(input, delimiter))
      }
    }
  })

  it('hands out views of the chunk when a message lies inside one', () => {
    const chunk = Buffer.from('one\ntwo\n')
    const messages: Buffer[] = []
    new DelimitedSplitter(Buffer.from('\n'), (message) => messages.push(message)).push(chunk)
    expect(messages.map((message) => message.buffer === chunk.buffer)).toEqual([true, true])
  })

  it('never changes a message it handed out while later chunks arrive', () => {
    const messages: Buffer[] = []
    const splitter = new DelimitedSplitter(Buffer.from('\n'), (message) => messages.push(message))
    splitter.push(Buffer.from('par'))
    splitter.push(Buffer.from('tial\nnext'))
    const first = Buffer.from(messages[0]!)
    splitter.push(Buffer.from('\nmore\n'))
    expect(messages[0]).toEqual(first)
    expect(messages.map(String)).toEqual(['partial', 'next', 'more'])
  })
})
