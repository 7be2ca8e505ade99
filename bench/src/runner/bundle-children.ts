import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'

export const benchDir = fileURLToPath(new URL('../..', import.meta.url))
export const repoRoot = join(benchDir, '..')
export const buildDir = join(benchDir, '.build')

/** Peers and every other npm package stay imports; only @x/* (from source, through tsconfig paths) is bundled. */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@x/') ? undefined : { external: true },
    )
  },
}

/**
 * The @x sources to bundle: the committed ones (`git archive HEAD` into `bench/.build/head`, so a run
 * measures a commit even while others edit the work tree), or the work tree as it is.
 */
function sourceRoot(source: 'head' | 'worktree'): string {
  if (source === 'worktree') return repoRoot
  const dir = join(buildDir, 'head')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const archive = execFileSync(
    'git',
    ['-C', repoRoot, 'archive', 'HEAD', 'packages', 'tools', 'tsconfig.base.json'],
    {
      maxBuffer: 1 << 30,
    },
  )
  execFileSync('tar', ['-x', '-C', dir], { input: archive })
  return dir
}

/**
 * Bundles every Node client's child script into `bench/.build/*.mjs` (git-ignored), so a child starts as
 * plain JavaScript: no TypeScript loader in its memory or CPU figures. @x packages come from their
 * sources (HEAD's by default), as tsup builds them; peers load from node_modules as users install them.
 */
export async function bundleChildren(
  entries: readonly string[],
  source: 'head' | 'worktree' = 'head',
): Promise<Map<string, string>> {
  const unique = [...new Set(entries)]
  const root = sourceRoot(source)
  await build({
    entryPoints: unique.map((entry) => join(benchDir, 'src', 'child', entry)),
    outdir: buildDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    tsconfig: join(root, 'tsconfig.base.json'),
    plugins: [externalPackages],
    logLevel: 'warning',
  })
  return new Map(unique.map((entry) => [entry, join(buildDir, entry.replace(/\.ts$/, '.mjs'))]))
}
