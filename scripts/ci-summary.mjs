#!/usr/bin/env node
// Sums .ci/results/*.json (written by scripts/test.mjs and .ci/run) into the one line CI reads.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const dir = new URL('../.ci/results', import.meta.url).pathname
let passed = 0
let failed = 0
for (const file of readdirSync(dir).filter((name) => name.endsWith('.json') && !name.startsWith('vitest-'))) {
  const result = JSON.parse(readFileSync(join(dir, file), 'utf8'))
  passed += result.passed
  failed += result.failed
  console.log(
    `${result.label}: ${result.passed} passed, ${result.failed} failed${result.failures?.length ? ` (${result.failures.join('\n  ')})` : ''}`,
  )
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
