// The README's "Example: encode a Metadata request" must be this code, and this code must run.
import { readFileSync } from 'node:fs'
import {
  decodeRequestHeader,
  encodeRequest,
  FrameSplitter,
  metadataApi,
  readMetadataRequest,
  writeMetadataRequest,
} from '@x/protocol'
import { describe, expect, it, vi } from 'vitest'

const IMPORT_LINES = `import {
  decodeRequestHeader,
  encodeRequest,
  FrameSplitter,
  metadataApi,
  readMetadataRequest,
  writeMetadataRequest,
} from '@x/protocol'`

function exampleFromReadme(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const match = /<!-- example: encode-metadata-request -->\n```ts\n([\s\S]*?)```/.exec(readme)
  if (!match) throw new Error('README.md lost its encode-metadata-request example')
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

describe('README example', () => {
  it('is the code this test runs', () => {
    expect(exampleFromReadme()).toBe(exampleFromThisFile())
  })

  it('encodes a Metadata request and reads it back on the broker side', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    // example-start
    const chunks = encodeRequest({
      api: metadataApi,
      apiVersion: 12,
      correlationId: 1,
      clientId: 'my-app',
      body: { topics: [{ name: 'orders' }], allowAutoTopicCreation: false },
      writeBody: writeMetadataRequest,
    })
    // socket.cork(); for (const chunk of chunks) socket.write(chunk); socket.uncork()

    // The broker side (the embedded test cluster) reads it back:
    const [frame] = new FrameSplitter().push(Buffer.concat(chunks))
    const { header, reader } = decodeRequestHeader(frame!)
    const request = readMetadataRequest(reader, header.requestApiVersion)
    console.log(header.clientId, request.topics?.[0]?.name) // my-app orders
    // example-end
    expect(log).toHaveBeenCalledWith('my-app', 'orders')
    log.mockRestore()
  })
})
