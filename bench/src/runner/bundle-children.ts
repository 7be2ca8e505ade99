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
 * Bundles every Node client's child script into `bench/.build/*.mjs` (git-ignored), so a child starts as
 * plain JavaScript: no TypeScript loader in its memory or CPU figures. @x packages come from their
 * sources, as tsup builds them; peers load from node_modules as users install them.
 */
export async function bundleChildren(entries: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(entries)]
  await build({
    entryPoints: unique.map((entry) => join(benchDir, 'src', 'child', entry)),
    outdir: buildDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    tsconfig: join(repoRoot, 'tsconfig.base.json'),
    plugins: [externalPackages],
    logLevel: 'warning',
  })
  return new Map(unique.map((entry) => [entry, join(buildDir, entry.replace(/\.ts$/, '.mjs'))]))
}
