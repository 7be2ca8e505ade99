import { describe, expect, it } from 'vitest'
import { CliUsageError } from '../cli-usage-error.js'
import { type OptionSpec, parseArguments } from './parse-arguments.js'

const specs: OptionSpec[] = [
  { name: 'broker', short: 'b', long: ['bootstrap-server'], arity: 'value' },
  { name: 'tee', short: 'T', long: ['tee'], arity: 'flag' },
  { name: 'nullEmpty', short: 'Z', long: ['null-empty'], arity: 'flag' },
  { name: 'keyDelimiter', short: 'K', long: ['key-delimiter'], arity: 'value' },
  { name: 'header', short: 'H', long: ['header'], arity: 'repeated' },
  { name: 'props', long: ['producer-props'], arity: 'values' },
  { name: 'partition', short: 'p', long: ['partition'], arity: 'value' },
]

describe('parseArguments', () => {
  it('reads getopt short options: separate and attached values, grouped flags', () => {
    const parsed = parseArguments('produce', ['-b', 'h:1', '-K:', '-TZ', '-p', '-1'], specs)
    expect(parsed.values.get('broker')).toBe('h:1')
    expect(parsed.values.get('keyDelimiter')).toBe(':')
    expect(parsed.values.get('partition')).toBe('-1')
    expect([...parsed.flags]).toEqual(['tee', 'nullEmpty'])
  })

  it('lets a short option take the next token whatever it is, as getopt does', () => {
    expect(parseArguments('produce', ['-K', '-'], specs).values.get('keyDelimiter')).toBe('-')
    expect(parseArguments('produce', ['-K', '-T'], specs).values.get('keyDelimiter')).toBe('-T')
  })

  it('reads long options as --name value and --name=value', () => {
    const parsed = parseArguments(
      'produce',
      ['--bootstrap-server=h:1', '--key-delimiter', '::', '--tee'],
      specs,
    )
    expect(parsed.values.get('broker')).toBe('h:1')
    expect(parsed.values.get('keyDelimiter')).toBe('::')
    expect(parsed.flags.has('tee')).toBe(true)
  })

  it('keeps repeated options in order and takes nargs=+ values up to the next option', () => {
    const parsed = parseArguments(
      'perf',
      ['-H', 'a=1', '--header', 'b', '--producer-props', 'acks=all', 'linger.ms=-1', '--tee', 'file'],
      specs,
    )
    expect(parsed.lists.get('header')).toEqual(['a=1', 'b'])
    expect(parsed.lists.get('props')).toEqual(['acks=all', 'linger.ms=-1'])
    expect(parsed.positionals).toEqual(['file'])
    expect(parsed.sequence.map((entry) => entry.name)).toEqual(['header', 'header', 'props', 'props', 'tee'])
  })

  it('treats everything after -- as positionals', () => {
    expect(parseArguments('produce', ['--', '-T', 'x'], specs).positionals).toEqual(['-T', 'x'])
  })

  it('names an unknown option and suggests the long one it abbreviates', () => {
    expect(() => parseArguments('perf', ['--producer'], specs)).toThrow(
      'unknown option --producer. Did you mean --producer-props?',
    )
    expect(() => parseArguments('produce', ['-Q'], specs)).toThrow(CliUsageError)
  })

  it('names an option whose value is missing', () => {
    expect(() => parseArguments('produce', ['-b'], specs)).toThrow(
      'option -b needs a value (--bootstrap-server <value>).',
    )
    expect(() => parseArguments('perf', ['--bootstrap-server', '--tee'], specs)).toThrow(/needs a value/)
    expect(() => parseArguments('perf', ['--tee=yes'], specs)).toThrow('option --tee takes no value.')
  })
})
