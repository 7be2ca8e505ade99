#!/usr/bin/env node
// Runs the unit suite (every project but `kafka`) on Node 24, fetched from the npm registry's `node`
// package into .cache/node24, so the packages are proven on the newest LTS as well as on Node 20.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const prefix = join(root, '.cache', 'node24')
const binary = join(prefix, 'node_modules', 'node', 'bin', 'node')
if (!existsSync(binary)) {
  mkdirSync(prefix, { recursive: true })
  const install = spawnSync(
    'npm',
    ['install', '--no-save', '--no-package-lock', '--prefix', prefix, 'node@24'],
    {
      stdio: 'inherit',
    },
  )
  if (install.status !== 0 || !existsSync(binary)) {
    console.error('Could not install Node 24 from the npm registry (package `node@24`).')
    process.exit(1)
  }
}
const version = spawnSync(binary, ['-v'], { encoding: 'utf8' }).stdout.trim()
console.log(`Node 24 unit suite on ${version}`)
const result = spawnSync(
  'node',
  [join(root, 'scripts', 'test.mjs'), '--project', '!kafka', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      VITEST_NODE: binary,
      TEST_LABEL: 'node24',
      SKIP_STEPS: 'build,lint,typecheck,packages',
    },
  },
)
process.exit(result.status ?? 1)
