import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'

/**
 * Replaces the generated part of a doc between `<!-- bench:<name>:begin -->` and `<!-- bench:<name>:end -->`,
 * then formats the file with Biome (the repository lints markdown tables too).
 */
export function replaceDocSection(file: string, name: string, content: string): void {
  const begin = `<!-- bench:${name}:begin -->`
  const end = `<!-- bench:${name}:end -->`
  const text = readFileSync(file, 'utf8')
  const from = text.indexOf(begin)
  const to = text.indexOf(end)
  if (from < 0 || to < from) throw new Error(`${file} has no ${begin} … ${end} section to replace`)
  writeFileSync(file, `${text.slice(0, from + begin.length)}\n\n${content}\n\n${text.slice(to)}`)
  const format = spawnSync('npx', ['biome', 'format', '--write', file], { stdio: 'inherit' })
  if (format.status !== 0) throw new Error(`biome format ${file} failed`)
}
