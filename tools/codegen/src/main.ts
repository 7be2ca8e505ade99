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
import { defaultOutDir, defaultSpecsDir } from './config.js'
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
const files = generate({ specsDir })

if (values.check) {
  const problems = diffGenerated(files, outDir)
  if (problems.length > 0) {
    console.error(
      `Generated codecs in ${outDir} are stale:\n  ${problems.join('\n  ')}\nRun: npm run codegen`,
    )
    process.exit(1)
  }
  console.log(`codegen:check: ${files.size} generated files in ${outDir} are up to date with ${specsDir}`)
} else {
  mkdirSync(outDir, { recursive: true })
  for (const name of readdirSync(outDir))
    if (name.endsWith('.ts') && !files.has(name)) rmSync(join(outDir, name))
  for (const [name, content] of files) {
    const path = join(outDir, name)
    let existing: string | undefined
    try {
      existing = readFileSync(path, 'utf8')
    } catch {
      existing = undefined
    }
    if (existing !== content) writeFileSync(path, content)
  }
  console.log(`codegen: wrote ${files.size} files to ${outDir} from ${specsDir}`)
}
