#!/usr/bin/env node
// `npm test`: the one command that proves the repository. Builds every package (ESM + CJS + .d.ts), lints,
// typechecks, runs every vitest project (unit tests and the integration tests against a real Kafka broker
// that the harness starts), then checks every published package with publint, attw and a pack check.
// Ends with a plain `N passed, N failed` line and writes the same counts to .ci/results/<label>.json.
//
//   npm test                      everything
//   npm test -- --project unit    extra arguments go to vitest (here: only the unit projects)
//   TEST_LABEL=node24 SKIP_STEPS=build,lint,typecheck,packages npm test -- --project '!kafka'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const label = process.env.TEST_LABEL ?? 'main'
const skip = new Set((process.env.SKIP_STEPS ?? '').split(',').filter(Boolean))
const vitestArgs = process.argv.slice(2)
const resultsDir = join(root, '.ci', 'results')
mkdirSync(resultsDir, { recursive: true })

let passed = 0
let failed = 0
const failures = []

function step(name, command, args, options = {}) {
  if (skip.has(name)) return true
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env, ...options })
  const ok = result.status === 0
  if (ok) passed++
  else {
    failed++
    failures.push(name)
  }
  return ok
}

step('build', 'npx', ['turbo', 'run', 'build', '--output-logs=errors-only'])
step('lint', 'npx', ['biome', 'check', '.'])
step('typecheck', 'npx', ['turbo', 'run', 'typecheck', '--output-logs=errors-only'])

if (!skip.has('vitest')) {
  const report = join(resultsDir, `vitest-${label}.json`)
  rmSync(report, { force: true })
  console.log(`\n=== vitest ${vitestArgs.join(' ')}`)
  // VITEST_NODE runs the suite on another Node binary (scripts/node24.mjs uses it for Node 24)
  const [command, ...prefix] = process.env.VITEST_NODE
    ? [process.env.VITEST_NODE, join(root, 'node_modules', 'vitest', 'vitest.mjs')]
    : ['npx', 'vitest']
  const run = spawnSync(
    command,
    [...prefix, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...vitestArgs],
    { cwd: root, stdio: 'inherit', env: process.env },
  )
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'))
    passed += json.numPassedTests
    failed += json.numFailedTests
    // a file that failed to load or a failing hook has no failed test but is a failure all the same
    const brokenFiles = json.testResults.filter(
      (file) => file.status === 'failed' && file.assertionResults.every((test) => test.status !== 'failed'),
    )
    failed += brokenFiles.length
    for (const file of brokenFiles) failures.push(`vitest file ${file.name}: ${file.message}`)
    // name each failed test and its first message line: CI shows only the tail of the log
    for (const file of json.testResults) {
      for (const test of file.assertionResults.filter((t) => t.status === 'failed')) {
        const why = String(test.failureMessages?.[0] ?? '')
          .split('\n')[0]
          .slice(0, 300)
        failures.push(`${relative(root, file.name)} > ${test.fullName}: ${why}`)
      }
    }
  } else {
    failed++
    failures.push(`vitest exited ${run.status} without a report`)
  }
  if (run.status !== 0 && failed === 0) {
    failed++
    failures.push(`vitest exited ${run.status}`)
  }
}

if (!skip.has('packages')) {
  const result = spawnSync('node', ['scripts/check-packages.mjs'], {
    cwd: root,
    stdio: ['inherit', 'pipe', 'inherit'],
  })
  const out = result.stdout.toString()
  process.stdout.write(out)
  const match = /(\d+) passed, (\d+) failed/.exec(out)
  if (match) {
    passed += Number(match[1])
    failed += Number(match[2])
    if (Number(match[2]) > 0) failures.push('package checks')
  } else {
    failed++
    failures.push('package checks printed no summary')
  }
}

writeFileSync(join(resultsDir, `${label}.json`), JSON.stringify({ label, passed, failed, failures }, null, 2))
if (failures.length > 0) console.log(`\nFailed: ${failures.join('; ')}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
