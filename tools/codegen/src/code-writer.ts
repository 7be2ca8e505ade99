/** Collects generated lines with two-space indentation. */
export class CodeWriter {
  private readonly lines: string[] = []
  private depth = 0

  line(text = ''): void {
    this.lines.push(text === '' ? '' : '  '.repeat(this.depth) + text)
  }

  /** Writes `header {`, runs `body` one level in, then `}` (or `footer`). */
  block(header: string, body: () => void, footer = '}'): void {
    this.line(`${header} {`)
    this.depth++
    body()
    this.depth--
    this.line(footer)
  }

  /** Runs `body` inside `if (condition) { ... }`, or inline when the condition always holds. */
  when(condition: true | string, body: () => void): void {
    if (condition === true) body()
    else this.block(`if (${condition})`, body)
  }

  indent(body: () => void): void {
    this.depth++
    body()
    this.depth--
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`
  }
}
