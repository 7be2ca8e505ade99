import { readFileSync } from 'node:fs'
import { CliUsageError } from '../cli-usage-error.js'

const escapes: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' }

/**
 * Reads a Java `.properties` text as `java.util.Properties.load` does: `#` and `!` comments, `key=value`,
 * `key: value` or `key value`, a trailing backslash continuing the line, and `\t \n \r \f \uXXXX` escapes.
 * This is the format of Kafka's `--producer.config` files and a superset of kcat's `-F` files. A key given
 * twice keeps its last value.
 */
export function parseProperties(text: string): Map<string, string> {
  const properties = new Map<string, string>()
  const lines = text.split(/\r\n|\r|\n/)
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index]!.replace(/^[ \t\f]+/, '')
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue
    // a line ending in an odd number of backslashes continues on the next one, minus its leading blanks
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && index + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++index]!.replace(/^[ \t\f]+/, '')
    }
    if (/(^|[^\\])(\\\\)*\\$/.test(line)) line = line.slice(0, -1)
    let at = 0
    while (at < line.length && !/[=: \t\f]/.test(line[at]!)) at += line[at] === '\\' ? 2 : 1
    const key = line.slice(0, at)
    let rest = line.slice(at).replace(/^[ \t\f]+/, '')
    if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]+/, '')
    properties.set(unescapeProperty(key), unescapeProperty(rest))
  }
  return properties
}

function unescapeProperty(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, escaped: string) =>
    escaped.length === 5
      ? String.fromCharCode(Number.parseInt(escaped.slice(1), 16))
      : (escapes[escaped] ?? escaped),
  )
}

/**
 * Reads and parses a properties file given to `option`.
 *
 * @throws CliUsageError naming the option and the file when it cannot be read.
 */
export function readPropertiesFile(command: string, option: string, path: string): Map<string, string> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new CliUsageError({
      command,
      message: `cannot read the config file of ${option} '${path}': ${(error as Error).message}. Give the path of a Java .properties file (key=value lines).`,
      cause: error,
    })
  }
  return parseProperties(text)
}
