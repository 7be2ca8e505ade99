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

const README_MARKER = '<!-- benchmarks: one-line summary, kept by the benchmark suite -->'
const SUMMARY_START = 'Last run ('

/**
 * Puts `summary` on the line after the README's benchmark marker, replacing the summary a previous run
 * left there; the README's own text around it stays as its owner wrote it.
 */
export function updateReadmeSummary(file: string, summary: string): void {
  const lines = readFileSync(file, 'utf8').split('\n')
  const at = lines.findIndex((line) => line.trim() === README_MARKER)
  if (at < 0) throw new Error(`${file} has no ${README_MARKER} line to put the benchmark summary after`)
  let next = at + 1
  while (next < lines.length && lines[next]!.trim() === '') next++
  if (lines[next]?.startsWith(SUMMARY_START)) lines.splice(at + 1, next - at, '', summary)
  else lines.splice(at + 1, 0, '', summary)
  writeFileSync(file, lines.join('\n'))
}
