// The release flow on a copy of the repository's manifests: `changeset version` (the repository's own
// @changesets/cli and .changeset/config.json) must consume every pending changeset, bump the packages they
// name, write CHANGELOG.md entries with their text, bump internal dependents, and leave the private tools
// alone. Needs no broker; lives with the integration tests because it runs a real CLI over a file tree.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../../', import.meta.url))
const copy = mkdtempSync(join(tmpdir(), 'x-changesets-'))
afterAll(() => rmSync(copy, { recursive: true, force: true }))

interface Manifest {
  name: string
  version: string
  private?: boolean
  dependencies?: Record<string, string>
}

/** The workspace's package folders, as the root manifest lists them. */
function workspaceDirs(): string[] {
  const dirs: string[] = []
  for (const pattern of JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces as string[]) {
    if (!pattern.endsWith('/*')) dirs.push(pattern)
    else {
      const parent = pattern.slice(0, -2)
      for (const name of readdirSync(join(root, parent))) dirs.push(`${parent}/${name}`)
    }
  }
  return dirs.filter((dir) => existsSync(join(root, dir, 'package.json')))
}

function manifest(dir: string, base = copy): Manifest {
  return JSON.parse(readFileSync(join(base, dir, 'package.json'), 'utf8'))
}

/** Pending changesets: file → the packages it bumps and its note. */
function pendingChangesets() {
  return readdirSync(join(root, '.changeset'))
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .map((file) => {
      const text = readFileSync(join(root, '.changeset', file), 'utf8')
      const [, frontmatter = '', body = ''] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text) ?? []
      const bumps = [...frontmatter.matchAll(/^["']?(@x\/[^"'\s:]+)["']?:\s*(patch|minor|major)\s*$/gm)].map(
        (match) => ({
          name: match[1]!,
          type: match[2]!,
        }),
      )
      return { file, bumps, note: body.trim() }
    })
}

it('turns the pending changesets into versions and CHANGELOG entries', () => {
  const dirs = workspaceDirs()
  cpSync(join(root, 'package.json'), join(copy, 'package.json'))
  cpSync(join(root, '.changeset'), join(copy, '.changeset'), { recursive: true })
  for (const dir of dirs) {
    cpSync(join(root, dir, 'package.json'), join(copy, dir, 'package.json'))
    if (existsSync(join(root, dir, 'CHANGELOG.md'))) {
      cpSync(join(root, dir, 'CHANGELOG.md'), join(copy, dir, 'CHANGELOG.md'))
    }
  }
  const changesets = pendingChangesets()
  expect(changesets.length, 'pending changesets in .changeset/').toBeGreaterThan(0)
  for (const changeset of changesets) expect(changeset.bumps.length, changeset.file).toBeGreaterThan(0)

  const cli = join(root, 'node_modules', '@changesets', 'cli', 'bin.js')
  const run = spawnSync(process.execPath, [cli, 'version'], { cwd: copy, encoding: 'utf8', timeout: 120_000 })
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0)

  expect(readdirSync(join(copy, '.changeset')).filter((file) => file.endsWith('.md'))).toEqual(['README.md'])
  const byName = new Map(dirs.map((dir) => [manifest(dir, root).name, dir]))
  const bumped = new Set(changesets.flatMap((changeset) => changeset.bumps.map((bump) => bump.name)))
  for (const name of bumped) {
    const dir = byName.get(name)!
    const before = manifest(dir, root)
    const after = manifest(dir)
    expect(after.version, name).not.toBe(before.version)
    const changelog = readFileSync(join(copy, dir, 'CHANGELOG.md'), 'utf8')
    expect(changelog.startsWith(`# ${name}\n\n## ${after.version}\n`), `${name} CHANGELOG.md heading`).toBe(
      true,
    )
    for (const changeset of changesets.filter((candidate) =>
      candidate.bumps.some((bump) => bump.name === name),
    )) {
      const firstLine = changeset.note.split('\n')[0]!
      expect(changelog, `${name} CHANGELOG.md holds ${changeset.file}`).toContain(firstLine)
    }
  }
  for (const dir of dirs) {
    const after = manifest(dir)
    // internal dependencies follow the new versions
    for (const [dependency, range] of Object.entries(after.dependencies ?? {})) {
      const target = byName.get(dependency)
      if (target !== undefined) expect(range, `${after.name} → ${dependency}`).toBe(manifest(target).version)
    }
    // the private tools (config.json's ignore list) keep their version
    if (after.private) expect(after.version, after.name).toBe(manifest(dir, root).version)
  }
})
