import { CliUsageError } from '../cli-usage-error.js'

/** How an option takes its value. */
export type OptionArity =
  | 'flag' // no value: true when present
  | 'value' // one value; given twice, the last wins
  | 'repeated' // one value per occurrence, all kept in order (`-H a=1 -H b=2`)
  | 'values' // one or more values up to the next option (argparse's nargs='+': `--producer-props a=1 b=2`)

/** One option of a command: its getopt letter, its long names, and how it takes values. */
export interface OptionSpec {
  /** The key in the parsed result. */
  readonly name: string
  /** One-letter form (`b` for `-b`), getopt style: `-bhost`, `-b host` and grouped flags `-TZ` all work. */
  readonly short?: string
  /** Long forms without the dashes; the first is the canonical one shown in messages. */
  readonly long: readonly string[]
  readonly arity: OptionArity
}

/** What `parseArguments` found: option values by name, in order of appearance, and the positionals. */
export interface ParsedArguments {
  readonly flags: ReadonlySet<string>
  readonly values: ReadonlyMap<string, string>
  readonly lists: ReadonlyMap<string, readonly string[]>
  /** Every option in command-line order (for options whose relative order matters, like `-X` and `-z`). */
  readonly sequence: readonly { readonly name: string; readonly value: string | true }[]
  readonly positionals: readonly string[]
}

/** A token that starts an option rather than being a value (`-1` and `-` are values). */
function looksLikeOption(token: string): boolean {
  return token.length > 1 && token.startsWith('-') && !/^-\d/.test(token)
}

/**
 * Parses `argv` against `specs` the way both families of tools do: getopt's short options (kcat) and
 * argparse's long ones (Kafka's Java tools), `--name=value` or `--name value`, `--` ending the options.
 *
 * @throws CliUsageError for an unknown option or a missing value, naming it.
 */
export function parseArguments(command: string, argv: readonly string[], specs: readonly OptionSpec[]) {
  const byShort = new Map<string, OptionSpec>()
  const byLong = new Map<string, OptionSpec>()
  for (const spec of specs) {
    if (spec.short !== undefined) byShort.set(spec.short, spec)
    for (const long of spec.long) byLong.set(long, spec)
  }
  const flags = new Set<string>()
  const values = new Map<string, string>()
  const lists = new Map<string, string[]>()
  const sequence: { name: string; value: string | true }[] = []
  const positionals: string[] = []
  const usage = (message: string) => new CliUsageError({ command, message })
  const display = (spec: OptionSpec) => (spec.long[0] === undefined ? `-${spec.short}` : `--${spec.long[0]}`)

  const store = (spec: OptionSpec, value: string | true) => {
    sequence.push({ name: spec.name, value })
    if (value === true) flags.add(spec.name)
    else if (spec.arity === 'value') values.set(spec.name, value)
    else {
      const list = lists.get(spec.name) ?? []
      list.push(value)
      lists.set(spec.name, list)
    }
  }

  let index = 0
  // getopt takes the next token whatever it is (`-K -`, `-D --`); argparse refuses one that looks like an option
  const next = (spec: OptionSpec, shown: string, isShort: boolean): string => {
    const value = argv[index + 1]
    if (value === undefined || (!isShort && looksLikeOption(value))) {
      throw usage(`option ${shown} needs a value (${display(spec)} <value>).`)
    }
    index++
    return value
  }
  const takeValues = (spec: OptionSpec, first: string | undefined, shown: string, isShort: boolean) => {
    if (first !== undefined) store(spec, first)
    else store(spec, next(spec, shown, isShort))
    if (spec.arity !== 'values') return
    while (index + 1 < argv.length && !looksLikeOption(argv[index + 1]!) && argv[index + 1] !== '--') {
      store(spec, argv[++index]!)
    }
  }

  for (; index < argv.length; index++) {
    const token = argv[index]!
    if (token === '--') {
      positionals.push(...argv.slice(index + 1))
      break
    }
    if (token.startsWith('--')) {
      const equals = token.indexOf('=')
      const name = token.slice(2, equals === -1 ? undefined : equals)
      const spec = byLong.get(name)
      if (spec === undefined) throw usage(`unknown option --${name}.${suggest(name, byLong)}`)
      if (spec.arity === 'flag') {
        if (equals !== -1) throw usage(`option --${name} takes no value.`)
        store(spec, true)
      } else takeValues(spec, equals === -1 ? undefined : token.slice(equals + 1), `--${name}`, false)
      continue
    }
    if (!looksLikeOption(token)) {
      positionals.push(token)
      continue
    }
    // getopt: a run of flag letters, possibly ending in one option that takes the rest or the next token
    for (let at = 1; at < token.length; at++) {
      const letter = token[at]!
      const spec = byShort.get(letter)
      if (spec === undefined) throw usage(`unknown option -${letter}.`)
      if (spec.arity === 'flag') {
        store(spec, true)
        continue
      }
      takeValues(spec, at + 1 < token.length ? token.slice(at + 1) : undefined, `-${letter}`, true)
      break
    }
  }
  return { flags, values, lists, sequence, positionals } satisfies ParsedArguments
}

function suggest(name: string, byLong: ReadonlyMap<string, OptionSpec>): string {
  const matches = [...byLong.keys()].filter((long) => long.startsWith(name) || name.startsWith(long))
  return matches.length === 0 ? '' : ` Did you mean --${matches[0]}?`
}
