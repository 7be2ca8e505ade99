// Shared vitest settings: every @x/* import resolves to the package's TypeScript source, so tests run
// without a build and a change in a lower package is seen at once by the packages above it.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// The alias entry shape vite takes (vite is vitest's nested dependency, not importable from the root)
type Alias = { find: RegExp; replacement: string }

const root = fileURLToPath(new URL('.', import.meta.url))

function sourceAliases(): Alias[] {
  const aliases: Alias[] = []
  for (const group of ['packages', 'tools']) {
    const dir = join(root, group)
    if (!existsSync(dir)) continue
    for (const name of readdirSync(dir)) {
      const entry = join(dir, name, 'src', 'index.ts')
      if (existsSync(entry)) aliases.push({ find: new RegExp(`^@x/${name}$`), replacement: entry })
    }
  }
  return aliases
}

export const aliases = sourceAliases()

/** The unit project of one package: `src/**\/*.test.ts`, no real broker, fast. */
export function unitProject(name: string) {
  return {
    resolve: { alias: aliases },
    test: {
      name,
      include: ['src/**/*.test.ts'],
      benchmark: { include: ['src/**/*.bench.ts'] },
      testTimeout: 20_000,
    },
  }
}
