import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Differences between freshly generated files and a folder: missing, changed and stale extra files. */
export function diffGenerated(files: ReadonlyMap<string, string>, dir: string): string[] {
  const problems: string[] = []
  for (const [name, content] of files) {
    const path = join(dir, name)
    if (!existsSync(path)) problems.push(`${name}: missing`)
    else if (readFileSync(path, 'utf8') !== content)
      problems.push(`${name}: differs from what the specs generate`)
  }
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      if (name.endsWith('.ts') && !files.has(name))
        problems.push(`${name}: not generated any more (delete it)`)
    }
  }
  return problems
}
