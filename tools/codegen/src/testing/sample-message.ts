import type { FieldSpec, PrimitiveType, StructSpec } from '../spec-model.js'

/**
 * Builds message values from a spec for round-trip tests: `input` is what a writer gets (fields a version
 * lacks are left out, so writers must apply defaults), `expected` what a reader must return for it.
 *
 * - `full`: every field the version has gets a non-default value, tagged fields included, so every
 *   branch writes something.
 * - `sparse`: nullable fields are null, tagged fields stay at their default (not written), arrays are empty.
 */
export type SampleMode = 'full' | 'sparse'

export interface Sample {
  input: Record<string, unknown>
  expected: Record<string, unknown>
}

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'
const SAMPLE_UUIDS = ['pR2Jc9wXRd2tNbXsoGn6Qw', 'AAAAAAAAAAAAAAAAAAAAAQ', '_____________________w']

function parseInteger(text: string): bigint {
  return text.startsWith('-') ? -BigInt(text.slice(1)) : BigInt(text)
}

/** The value a reader returns for a field a version lacks: the spec default. */
export function runtimeDefault(field: FieldSpec): unknown {
  const text = field.defaultText
  const type = field.type
  if (type.kind === 'array') return text === 'null' ? null : []
  if (type.kind === 'struct') return text === 'null' ? null : defaultStruct(type.struct)
  switch (type.name) {
    case 'bool':
      return text.toLowerCase() === 'true'
    case 'int64':
      return text === '' ? 0n : parseInteger(text)
    case 'float64':
      return text === '' ? 0 : Number(text)
    case 'string':
      return text === 'null' ? null : text
    case 'uuid':
      return text === '' ? ZERO_UUID : text
    case 'bytes':
      return text === 'null' ? null : new Uint8Array(0)
    case 'records':
      return null
    default:
      return text === '' ? 0 : Number(parseInteger(text))
  }
}

function defaultStruct(struct: StructSpec): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const field of struct.fields) result[field.property] = runtimeDefault(field)
  return result
}

function primitiveSample(type: PrimitiveType, rawSeed: number, avoid: unknown): unknown {
  // seeds grow with nesting; keep every value inside its type's range
  const seed = rawSeed % 10_000
  const pick = <T>(first: T, second: T): T => (first === avoid ? second : first)
  switch (type) {
    case 'bool':
      return avoid !== true
    case 'int8':
      return pick((seed % 100) + 1, (seed % 100) + 2)
    case 'int16':
      return pick(-((seed % 1000) + 2), 1000)
    case 'uint16':
      return pick(40_000 + seed, 40_001 + seed)
    case 'int32':
      return pick(100_000 + seed, -100_000 - seed)
    case 'uint32':
      return pick(3_000_000_000 + seed, 3_000_000_001 + seed)
    case 'int64':
      return pick(2n ** 40n + BigInt(seed), -(2n ** 50n) - BigInt(seed))
    case 'float64':
      return pick(1.25 + seed, -2.5 - seed)
    case 'string':
      return pick(seed % 3 === 0 ? `é-${seed}-€` : `s-${seed}`, `t-${seed}`)
    case 'uuid':
      return pick(SAMPLE_UUIDS[seed % SAMPLE_UUIDS.length]!, SAMPLE_UUIDS[(seed + 1) % SAMPLE_UUIDS.length]!)
    case 'bytes':
      return new Uint8Array([seed & 0xff, 1, 2, 3])
    case 'records':
      // larger than a header, so it is appended by reference
      return new Uint8Array(80).fill(seed & 0xff)
  }
}

function fieldSample(
  field: FieldSpec,
  version: number,
  mode: SampleMode,
  seed: number,
): { input: unknown; expected: unknown } {
  const type = field.type
  if (type.kind === 'struct') {
    const sample = sampleStruct(type.struct, version, mode, seed)
    return { input: sample.input, expected: sample.expected }
  }
  if (type.kind === 'array') {
    if (mode === 'sparse') return { input: [], expected: [] }
    const inputs: unknown[] = []
    const expected: unknown[] = []
    for (let index = 0; index < 2; index++) {
      const itemSeed = seed * 7 + index + 1
      if (type.element.kind === 'struct') {
        const sample = sampleStruct(type.element.struct, version, mode, itemSeed)
        inputs.push(sample.input)
        expected.push(sample.expected)
      } else {
        const value = primitiveSample(type.element.name, itemSeed, undefined)
        inputs.push(value)
        expected.push(value)
      }
    }
    return { input: inputs, expected }
  }
  const value = primitiveSample(type.name, seed, runtimeDefault(field))
  return { input: value, expected: value }
}

/** A sample of `struct` at `version` (see `SampleMode`). */
export function sampleStruct(struct: StructSpec, version: number, mode: SampleMode, seed = 1): Sample {
  const input: Record<string, unknown> = {}
  const expected: Record<string, unknown> = {}
  struct.fields.forEach((field, index) => {
    const fieldSeed = seed * 31 + index
    if (!field.versions.contains(version)) {
      expected[field.property] = runtimeDefault(field)
      return
    }
    if (mode === 'sparse' && field.nullableVersions.contains(version)) {
      input[field.property] = null
      expected[field.property] = null
      return
    }
    if (mode === 'sparse' && field.taggedVersions.contains(version)) {
      expected[field.property] = runtimeDefault(field)
      return
    }
    const sample = fieldSample(field, version, mode, fieldSeed)
    input[field.property] = sample.input
    expected[field.property] = sample.expected
  })
  return { input, expected }
}
