// The vendored specs (tools/codegen/specs) are the generator's default input; they must stay byte-identical
// to the shared reference copy beside the repository whenever that copy exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { apis, defaultSpecsDir, headers, sharedSpecsDir } from './config.js'

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))
const vendored = resolve(repoRoot, defaultSpecsDir)
const shared = resolve(repoRoot, sharedSpecsDir)

describe('vendored specs', () => {
  it('hold exactly the request and response of every allow-listed API plus the headers', () => {
    const expected = [
      ...apis.flatMap((api) => [`${api}Request.json`, `${api}Response.json`]),
      ...headers.map((h) => `${h}.json`),
    ]
    const present = readdirSync(vendored).filter((name) => name.endsWith('.json'))
    expect(present.sort()).toEqual(expected.sort())
  })

  // A clone away from the reference material has only the vendored copy, which the test above checks.
  it('equal the shared reference copy byte for byte wherever that copy sits beside the repository', () => {
    if (!existsSync(shared)) return
    for (const name of readdirSync(vendored).filter((file) => file.endsWith('.json'))) {
      expect(readFileSync(join(vendored, name), 'utf8'), name).toBe(readFileSync(join(shared, name), 'utf8'))
    }
  })
})
