// Runs every code block of every README (and of docs/migrating-from-kafkajs.md), so the examples cannot rot:
// - ts/js blocks run as modules (the @x/* imports resolve to the sources), against the harness's real broker
//   where they say localhost:9092; a block that is itself a vitest test file must be kept verbatim as a test
//   file of its package, which the suite runs;
// - bash/sh blocks run line by line in bash from the repository root (localhost:9092 substituted likewise);
//   `npm install <packages>` lines are checked instead of run (the packages are not on a registry): every
//   @x name must be a published workspace package and every other name a dependency of one;
// - blocks of other languages (text, json, no language) are not code.
// A block that cannot run says why: `<!-- readme-test: skip: <reason> -->` on the line before it, or, for
// files of other packages, an entry in `notRunnable` below. An entry that matches nothing fails the test.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { kafkaSingleNode } from '@x/kafka-harness/vitest'
import { describe, expect, it, vi } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const scratch = fileURLToPath(new URL('./.readme-blocks/', import.meta.url))

/**
 * Blocks of other packages' READMEs that do not run: a block starting with `match`, or in a shell block with
 * `scope: 'line'`, a command line starting with `match`.
 */
const notRunnable: { file: string; match: string; reason: string; scope?: 'line' }[] = [
  {
    file: 'packages/producer/README.md',
    match: 'range(0, 1000)',
    reason:
      'a fragment continuing the Example above (`producer` is defined there); src/examples/send-records.example.test.ts runs the whole program',
  },
  {
    file: 'packages/producer/README.md',
    match: 'node --expose-gc',
    scope: 'line',
    reason:
      'a benchmark of a million records, minutes long, with optional flags in brackets; its figures are in the table',
  },
  {
    file: 'tools/codegen/README.md',
    match: 'npm run codegen ',
    scope: 'line',
    reason:
      'rewrites the generated sources of a shared checkout; `npm run codegen:check`, run here, proves they are current',
  },
  {
    file: 'tools/codegen/README.md',
    match: 'npx tsx tools/codegen/src/main.ts --specs ~/kafka',
    scope: 'line',
    reason: 'needs a checkout of Apache Kafka in ~/kafka',
  },
  {
    file: 'bench/README.md',
    match: 'bash bench/setup.sh',
    reason: 'installs system packages and runs the benchmark suite for 10 minutes to hours',
  },
]

/** `npm test` runs this very suite. */
const neverRun = [{ pattern: /^npm test\b/, reason: 'the test command runs this suite; CI runs it' }]

interface Block {
  file: string
  line: number
  language: string
  code: string
  skip: string | undefined
}

function documents(): string[] {
  const found = ['README.md', 'docs/migrating-from-kafkajs.md']
  for (const group of ['packages', 'tools']) {
    for (const name of readdirSync(join(root, group))) found.push(`${group}/${name}/README.md`)
  }
  found.push('bench/README.md')
  return found.filter((file) => existsSync(join(root, file)))
}

function blocksOf(file: string): Block[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n')
  const blocks: Block[] = []
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,})(.*)$/.exec(lines[index]!)
    if (!open) continue
    const [, indent, fence, info] = open
    let end = index + 1
    while (end < lines.length && !new RegExp(`^\\s*${fence}\\s*$`).test(lines[end]!)) end++
    let previous = index - 1
    while (previous >= 0 && lines[previous]!.trim() === '') previous--
    const marker = /<!--\s*readme-test:\s*skip:\s*(.+?)\s*-->/.exec(lines[previous] ?? '')
    blocks.push({
      file,
      line: index + 1,
      language: info!.trim().split(/\s+/)[0] ?? '',
      code: lines
        .slice(index + 1, end)
        .map((line) => line.slice(indent!.length))
        .join('\n'),
      skip: marker?.[1],
    })
    index = end
  }
  return blocks
}

const used = new Set<(typeof notRunnable)[number]>()
function centralSkip(file: string, text: string, scope: 'block' | 'line') {
  const entry = notRunnable.find(
    (candidate) =>
      candidate.file === file &&
      (candidate.scope ?? 'block') === scope &&
      text.trimStart().startsWith(candidate.match),
  )
  if (entry) used.add(entry)
  return entry?.reason
}

const substitute = (code: string) => code.replaceAll('localhost:9092', kafkaSingleNode().bootstrapServers)

/** Workspace packages by name, with their manifests. */
function workspacePackages(): Map<
  string,
  { private?: boolean; dependencies?: object; peerDependencies?: object }
> {
  const packages = new Map()
  for (const group of ['packages', 'tools']) {
    for (const name of readdirSync(join(root, group))) {
      const path = join(root, group, name, 'package.json')
      if (existsSync(path)) {
        const manifest = JSON.parse(readFileSync(path, 'utf8'))
        packages.set(manifest.name, manifest)
      }
    }
  }
  return packages
}

function checkInstallLine(line: string): void {
  const packages = workspacePackages()
  const names = line
    .split(/\s+/)
    .slice(2)
    .filter((word) => !word.startsWith('-'))
  expect(names.length).toBeGreaterThan(0)
  for (const name of names) {
    if (name.startsWith('@x/')) {
      expect(packages.get(name), `${name} is a workspace package`).toBeDefined()
      expect(packages.get(name)!.private, `${name} is published`).not.toBe(true)
    } else {
      const declared = [...packages.values()].some(
        (manifest) => name in (manifest.dependencies ?? {}) || name in (manifest.peerDependencies ?? {}),
      )
      expect(declared, `${name} is a dependency of a published package`).toBe(true)
    }
  }
}

/** Logical command lines of a shell block: continuations joined, comments and blank lines dropped. */
function commandLines(code: string): string[] {
  return code
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

function runShell(block: Block): void {
  const run: string[] = []
  for (const line of commandLines(block.code)) {
    if (centralSkip(block.file, line, 'line') !== undefined) continue
    if (neverRun.some((rule) => rule.pattern.test(line))) continue
    if (/^npm (install|i) /.test(line)) checkInstallLine(line)
    else run.push(line)
  }
  if (run.length === 0) return
  const script = ['set -euo pipefail', ...run.map(substitute)].join('\n')
  // timeout(1) signals the whole process group, so nothing the commands started outlives a hung block
  const result = spawnSync('timeout', ['-k', '5', '170', 'bash', '-c', script], {
    cwd: root,
    encoding: 'utf8',
  })
  expect(result.status, `${script}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`).toBe(0)
}

const isTestModule = (code: string) => /from ['"]vitest['"]/.test(code) && /\b(it|test|describe)\(/.test(code)

/** A README test module must live on, verbatim, as a test file of its package (which the suite runs). */
function findTestFileHolding(block: Block): string | undefined {
  const packageDir = join(root, block.file, '..')
  const normalized = (text: string) => text.replace(/\s+/g, ' ').trim()
  const wanted = normalized(block.code)
  const candidates: string[] = []
  const walk = (dir: string) => {
    if (!existsSync(dir)) return
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(path)
      else if (entry.name.endsWith('.test.ts')) candidates.push(path)
    }
  }
  walk(join(packageDir, 'test'))
  walk(join(packageDir, 'src'))
  return candidates.find((path) => normalized(readFileSync(path, 'utf8')).includes(wanted))
}

async function runModule(block: Block): Promise<void> {
  mkdirSync(scratch, { recursive: true })
  let code = substitute(block.code)
  if (/\bexpect\(/.test(code) && !/from ['"]vitest['"]/.test(code))
    code = `import { expect } from 'vitest'\n${code}`
  const name = `${block.file.replace(/[^a-z0-9]+/gi, '-')}-L${block.line}.ts`
  const path = join(scratch, name)
  writeFileSync(path, `${code}\nexport {}\n`)
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  try {
    await import(/* @vite-ignore */ `${pathToFileURL(path).href}?t=${Date.now()}`)
  } finally {
    log.mockRestore()
  }
}

const code = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs', 'bash', 'sh', 'shell'])

for (const file of documents()) {
  describe(file, () => {
    for (const block of blocksOf(file).filter((candidate) => code.has(candidate.language))) {
      const title = `${block.language} block at line ${block.line}`
      const shell = ['bash', 'sh', 'shell'].includes(block.language)
      const reason = block.skip ?? centralSkip(file, block.code, 'block')
      if (reason !== undefined) {
        it(`${title} is not runnable: ${reason}`, () => {
          expect(reason.length).toBeGreaterThan(10)
        })
      } else if (shell) {
        it(`runs the ${title}`, () => runShell(block))
      } else if (isTestModule(block.code)) {
        it(`keeps the ${title} as a test file of its package`, () => {
          const holder = findTestFileHolding(block)
          expect(holder, 'a test file holding this block verbatim').toBeDefined()
          expect(relative(root, holder!)).toMatch(/\.test\.ts$/)
        })
      } else {
        it(`runs the ${title}`, () => runModule(block))
      }
    }
  })
}

it('uses every not-runnable entry of the READMEs present (a stale one would hide nothing)', () => {
  const stale = notRunnable.filter((entry) => existsSync(join(root, entry.file)) && !used.has(entry))
  expect(stale.map((entry) => `${entry.file}: ${entry.match}`)).toEqual([])
})
