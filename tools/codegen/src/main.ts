/**
 * Generates @x/protocol's message codecs from Kafka's JSON specs.
 *
 *   npm run codegen                       regenerate packages/protocol/src/messages/generated/
 *   npm run codegen:check                 regenerate in memory and fail on any difference
 *   tsx src/main.ts --specs <dir>         use another folder of specs (e.g. a newer Kafka checkout)
 *   tsx src/main.ts --out <dir>           write somewhere else
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { defaultOutDir, defaultSpecsDir, fixture } from './config.js'
import { diffGenerated } from './diff-generated.js'
import { generate } from './generate.js'

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)))

const { values } = parseArgs({
  options: {
    specs: { type: 'string' },
    out: { type: 'string' },
    check: { type: 'boolean', default: false },
  },
})

const specsDir = values.specs === undefined ? resolve(repoRoot, defaultSpecsDir) : resolve(values.specs)
const outDir = values.out === undefined ? resolve(repoRoot, defaultOutDir) : resolve(values.out)
const targets = [{ dir: outDir, files: generate({ specsDir }), specs: specsDir }]
// The generator's own fixture output, kept in step with the generator (not with --specs).
if (values.out === undefined) {
  targets.push({
    dir: resolve(repoRoot, fixture.outDir),
    files: generate({
      specsDir: resolve(repoRoot, fixture.specsDir),
      apis: fixture.apis,
      headers: [],
      importBase: fixture.importBase,
    }),
    specs: resolve(repoRoot, fixture.specsDir),
  })
}

let stale = false
for (const { dir, files, specs } of targets) {
  if (values.check) {
    const problems = diffGenerated(files, dir)
    if (problems.length > 0) {
      console.error(`Generated codecs in ${dir} are stale:\n  ${problems.join('\n  ')}\nRun: npm run codegen`)
      stale = true
    } else {
      console.log(`codegen:check: ${files.size} generated files in ${dir} are up to date with ${specs}`)
    }
  } else {
    writeGenerated(files, dir)
    console.log(`codegen: wrote ${files.size} files to ${dir} from ${specs}`)
  }
}
if (stale) process.exit(1)

function writeGenerated(files: ReadonlyMap<string, string>, dir: string): void {
  mkdirSync(dir, { recursive: true })
  for (const name of readdirSync(dir)) if (name.endsWith('.ts') && !files.has(name)) rmSync(join(dir, name))
  for (const [name, content] of files) {
    const path = join(dir, name)
    let existing: string | undefined
    try {
      existing = readFileSync(path, 'utf8')
    } catch {
      existing = undefined
    }
    if (existing !== content) writeFileSync(path, content)
  }
}
