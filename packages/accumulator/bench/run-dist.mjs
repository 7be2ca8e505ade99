// Runs append-throughput.ts against the built bundles (each package's dist/index.js, what users install)
// instead of the TypeScript sources tsx maps @x/* to. Build first:
//   npx turbo run build --filter=@x/accumulator
//   node packages/accumulator/bench/run-dist.mjs [--rounds N] [--records N] [--only explicit|sticky]
// The bench is type-stripped with TypeScript's transpileModule (imports untouched) into node_modules/.cache,
// so `@x/*` resolves through node_modules to the packages' `exports`, i.e. to dist/.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..', '..')
const source = readFileSync(join(here, 'append-throughput.ts'), 'utf8')
const { outputText } = ts.transpileModule(source, {
  compilerOptions: {
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2022,
    verbatimModuleSyntax: true,
  },
})
const outDir = join(root, 'node_modules', '.cache', 'x-accumulator-bench')
mkdirSync(outDir, { recursive: true })
const out = join(outDir, 'append-throughput.mjs')
writeFileSync(out, outputText)
const result = spawnSync(process.execPath, ['--expose-gc', out, ...process.argv.slice(2)], {
  stdio: 'inherit',
})
process.exit(result.status ?? 1)
