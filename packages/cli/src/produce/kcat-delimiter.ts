import { CliUsageError } from '../cli-usage-error.js'

const encoder = new TextEncoder()

/**
 * A `-D`/`-K` delimiter as kcat reads it: the text as UTF-8 bytes, with `\n`, `\r`, `\t` and `\xNN` (hex,
 * low 8 bits kept as kcat's strtoul does) written as escapes. Multi-byte delimiters are fine.
 *
 * @throws CliUsageError for an empty delimiter or a `\x` without hex digits.
 */
export function parseKcatDelimiter(option: string, text: string): Uint8Array {
  const bytes: number[] = []
  for (let at = 0; at < text.length; ) {
    if (text[at] === '\\') {
      const escaped = text[at + 1]
      if (escaped === 'n' || escaped === 'r' || escaped === 't') {
        bytes.push(escaped === 'n' ? 10 : escaped === 'r' ? 13 : 9)
        at += 2
        continue
      }
      if (escaped === 'x') {
        const hex = /^[0-9a-fA-F]+/.exec(text.slice(at + 2))?.[0]
        if (hex === undefined) {
          throw new CliUsageError({
            command: 'produce',
            message: `delimiter ${option} '${text}': \\x needs hex digits, e.g. \\x1e.`,
          })
        }
        bytes.push(Number.parseInt(hex.slice(-2), 16))
        at += 2 + hex.length
        continue
      }
    }
    const codePoint = text.codePointAt(at)!
    const char = String.fromCodePoint(codePoint)
    bytes.push(...encoder.encode(char))
    at += char.length
  }
  if (bytes.length === 0) {
    throw new CliUsageError({
      command: 'produce',
      message: `delimiter ${option} is empty: give at least one byte, e.g. ${option} '\\n'.`,
    })
  }
  return Uint8Array.from(bytes)
}
