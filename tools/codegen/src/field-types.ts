import type { FieldSpec, FieldType, PrimitiveType, StructSpec } from './spec-model.js'

/**
 * How spec types map to TypeScript: numbers for 8–32-bit integers and float64, `bigint` for int64, the
 * Kafka text form for uuid, zero-copy `Uint8Array` views for bytes and records (`records` is always
 * `| null`: its default is null).
 */
const PRIMITIVE_TS: Record<PrimitiveType, string> = {
  bool: 'boolean',
  int8: 'number',
  int16: 'number',
  uint16: 'number',
  int32: 'number',
  uint32: 'number',
  int64: 'bigint',
  float64: 'number',
  string: 'string',
  bytes: 'Uint8Array',
  uuid: 'Uuid',
  records: 'Uint8Array',
}

/** Wire size of the fixed-length primitives; `undefined` for variable-length ones. */
export const FIXED_SIZE: Partial<Record<PrimitiveType, number>> = {
  bool: 1,
  int8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  float64: 8,
  uuid: 16,
}

export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

/** True when the field's TypeScript type includes `null`. */
export function typeAllowsNull(field: FieldSpec): boolean {
  if (field.type.kind === 'primitive' && field.type.name === 'records') return true
  if (field.defaultText === 'null') return true
  return !field.nullableVersions.intersect(field.versions).empty
}

function elementTs(element: Exclude<FieldType, { kind: 'array' }>, input: boolean): string {
  if (element.kind === 'primitive') return PRIMITIVE_TS[element.name]
  return input ? `${element.struct.typeName}Input` : element.struct.typeName
}

/** The field's TypeScript type; `input` gives the writer-side type (readonly arrays, `...Input` structs). */
export function tsType(field: FieldSpec, input: boolean): string {
  const type = field.type
  const base =
    type.kind === 'array'
      ? input
        ? `readonly ${elementTs(type.element, true)}[]`
        : `${elementTs(type.element, false)}[]`
      : elementTs(type, input)
  return typeAllowsNull(field) ? `${base} | null` : base
}

/**
 * Whether a writer may leave the field out (it then writes the default): fields missing from some versions
 * of their struct, tagged fields and fields with an explicit spec default. Fields every version carries,
 * without a default, must be given (`acks`, `topicData`): forgetting them would silently send zeros.
 */
export function isOptionalInput(field: FieldSpec, struct: StructSpec): boolean {
  if (!field.versions.intersect(struct.versions).equals(struct.versions)) return true
  if (!field.taggedVersions.empty) return true
  return field.hasExplicitDefault
}

function parseInteger(text: string, field: FieldSpec): bigint {
  const negative = text.startsWith('-')
  const digits = negative ? text.slice(1) : text
  try {
    const value = BigInt(digits)
    return negative ? -value : value
  } catch (error) {
    throw new Error(`Invalid default "${text}" for field ${field.name}`, { cause: error })
  }
}

/** The field's default as a TypeScript expression. */
export function defaultExpr(field: FieldSpec): string {
  const text = field.defaultText
  const type = field.type
  if (type.kind === 'array') return text === 'null' ? 'null' : '[]'
  if (type.kind === 'struct') return text === 'null' ? 'null' : `default${type.struct.typeName}()`
  switch (type.name) {
    case 'bool':
      if (text === '') return 'false'
      if (text.toLowerCase() === 'true') return 'true'
      if (text.toLowerCase() === 'false') return 'false'
      throw new Error(`Invalid default "${text}" for boolean field ${field.name}`)
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
      return text === '' ? '0' : parseInteger(text, field).toString()
    case 'int64':
      return `${text === '' ? 0n : parseInteger(text, field)}n`
    case 'float64':
      return text === '' ? '0' : String(Number(text))
    case 'string':
      return text === 'null' ? 'null' : JSON.stringify(text)
    case 'uuid':
      return JSON.stringify(text === '' ? ZERO_UUID : text)
    case 'bytes':
      return text === 'null' ? 'null' : 'EMPTY_BYTES'
    case 'records':
      return 'null'
  }
}

/** The default as people read it, for error messages. */
export function defaultDisplay(field: FieldSpec): string {
  const expr = defaultExpr(field)
  if (expr === 'EMPTY_BYTES') return 'empty bytes'
  if (expr.startsWith('default')) return 'an empty struct'
  return expr.replace(/^"(.*)"$/, "'$1'").replace(/^''$/, "''")
}

/** A TypeScript condition that is true when `value` differs from the field's default. */
export function nonDefaultExpr(field: FieldSpec, value: string): string {
  const type = field.type
  const nullDefault = field.defaultText === 'null'
  const nullable = typeAllowsNull(field)
  if (type.kind === 'array' || (type.kind === 'primitive' && type.name === 'bytes')) {
    if (nullDefault) return `${value} !== null`
    return nullable ? `(${value} === null || ${value}.length !== 0)` : `${value}.length !== 0`
  }
  if (type.kind === 'primitive' && type.name === 'records') return `${value} !== null`
  if (type.kind === 'struct') {
    if (nullDefault) return `${value} !== null`
    const check = `!isDefault${type.struct.typeName}(${value})`
    return nullable ? `(${value} === null || ${check})` : check
  }
  return `${value} !== ${defaultExpr(field)}`
}

/** The expression reading the field's value from `object` on the writer side, default applied. */
export function inputValue(field: FieldSpec, struct: StructSpec, object: string): string {
  const access = `${object}.${field.property}`
  if (!isOptionalInput(field, struct)) return access
  const fallback = defaultExpr(field)
  // `??` would turn an explicit null into a non-null default
  if (typeAllowsNull(field) && fallback !== 'null')
    return `(${access} === undefined ? ${fallback} : ${access})`
  return `(${access} ?? ${fallback})`
}

/** The spec version facts of a field, for its doc comment. */
export function versionNote(field: FieldSpec): string {
  const parts = [`versions ${field.versions}`]
  const nullable = field.nullableVersions.intersect(field.versions)
  if (!nullable.empty) parts.push(`nullable ${nullable}`)
  if (field.tag !== undefined) parts.push(`tag ${field.tag} in ${field.taggedVersions}`)
  if (field.hasExplicitDefault) parts.push(`default ${defaultDisplay(field)}`)
  if (field.ignorable) parts.push('ignorable')
  if (field.entityType !== undefined) parts.push(`entity ${field.entityType}`)
  return parts.join(', ')
}
