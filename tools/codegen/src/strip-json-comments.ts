/**
 * Kafka's message specs are JSON with `//` line comments ("this version of JSON supports comments", says
 * their README). Removes them, leaving string contents (which may hold "//", e.g. URLs) untouched and line
 * numbers unchanged so JSON parse errors still point at the right line.
 */
export function stripJsonComments(text: string): string {
  let result = ''
  let inString = false
  let i = 0
  while (i < text.length) {
    const char = text[i]!
    if (inString) {
      result += char
      if (char === '\\') {
        result += text[i + 1] ?? ''
        i += 2
        continue
      }
      if (char === '"') inString = false
      i++
      continue
    }
    if (char === '"') {
      inString = true
      result += char
      i++
      continue
    }
    if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      continue
    }
    result += char
    i++
  }
  return result
}
