import type { EmitContext } from './emit-context.js'
import { taggedFieldsOf } from './emit-writer.js'
import { defaultExpr, tsType, typeAllowsNull } from './field-types.js'
import type { FieldSpec, PrimitiveType, StructSpec } from './spec-model.js'
import { type Versions, versionCondition } from './versions.js'

const FIXED_READ: Partial<Record<PrimitiveType, string>> = {
  bool: 'readBoolean',
  int8: 'readInt8',
  int16: 'readInt16',
  uint16: 'readUInt16',
  int32: 'readInt32',
  uint32: 'readUInt32',
  int64: 'readInt64',
  float64: 'readFloat64',
  uuid: 'readUuid',
}

/** Reader calls for variable-length primitives: [non-null, nullable]; the non-null ones take the field path. */
const VARIABLE_READ: Partial<
  Record<PrimitiveType, { classic: [string, string]; compact: [string, string] }>
> = {
  string: {
    classic: ['readString', 'readNullableString'],
    compact: ['readCompactString', 'readCompactNullableString'],
  },
  bytes: {
    classic: ['readBytes', 'readNullableBytes'],
    compact: ['readCompactBytes', 'readCompactNullableBytes'],
  },
  records: { classic: ['readRecords', 'readRecords'], compact: ['readCompactRecords', 'readCompactRecords'] },
}

function choose(condition: boolean | string, whenTrue: string, whenFalse: string): string {
  if (condition === true) return whenTrue
  if (condition === false) return whenFalse
  return `(${condition} ? ${whenTrue} : ${whenFalse})`
}

/**
 * The decoding of a non-array field as one expression, or `undefined` when it needs statements (arrays,
 * records that must be checked for null).
 */
export function readExpression(
  ctx: EmitContext,
  field: FieldSpec,
  possible: Versions,
  tagged: boolean,
  path: string,
): string | undefined {
  const flexible = tagged ? true : versionCondition(ctx.flexibleVersions(field), possible)
  const nullable = typeAllowsNull(field) ? versionCondition(field.nullableVersions, possible) : false
  const type = field.type
  if (type.kind === 'array') return undefined
  if (type.kind === 'struct') {
    const read = `read${type.struct.typeName}(reader, version)`
    const absent = tagged ? 'reader.readUnsignedVarint() === 0' : 'reader.readInt8() < 0'
    return choose(nullable, `(${absent} ? null : ${read})`, read)
  }
  const fixed = FIXED_READ[type.name]
  if (fixed !== undefined) return `reader.${fixed}()`
  if (type.name === 'records' && nullable !== true) return undefined
  const methods = VARIABLE_READ[type.name]!
  const call = (pair: [string, string]) => {
    if (type.name === 'records') return `reader.${pair[0]}()`
    return choose(nullable, `reader.${pair[1]}()`, `reader.${pair[0]}('${path}')`)
  }
  return choose(flexible, call(methods.compact), call(methods.classic))
}

/**
 * Emits statements that decode the field into `target` (a declared local) for versions in `possible`.
 * `tagged` means inside a tagged field (flexible encoding; varint presence marker for nullable structs).
 */
export function emitValueRead(
  ctx: EmitContext,
  field: FieldSpec,
  target: string,
  possible: Versions,
  tagged: boolean,
  path: string,
): void {
  const code = ctx.code
  const flexible = tagged ? true : versionCondition(ctx.flexibleVersions(field), possible)
  const nullable = typeAllowsNull(field) ? versionCondition(field.nullableVersions, possible) : false
  const quotedPath = `'${path}'`
  const type = field.type
  const expression = readExpression(ctx, field, possible, tagged, path)
  if (expression !== undefined) {
    code.line(`${target} = ${expression}`)
    return
  }
  if (type.kind === 'primitive') {
    // records that are not nullable in every version
    const method = flexible === true ? 'readCompactRecords' : flexible === false ? 'readRecords' : undefined
    code.line(
      `${target} = ${method === undefined ? `(${flexible} ? reader.readCompactRecords() : reader.readRecords())` : `reader.${method}()`}`,
    )
    const check = nullable === false ? `${target} === null` : `${target} === null && !(${nullable})`
    code.line(`if (${check}) throw ${ctx.use('unexpectedNull')}(${quotedPath})`)
    return
  }
  if (type.kind !== 'array') throw new Error(`Unexpected type of ${path}`)
  const length = ctx.fresh('length')
  code.line(
    `const ${length} = ${choose(flexible, 'reader.readCompactArrayLength()', 'reader.readArrayLength()')}`,
  )
  code.block(
    `if (${length} < 0)`,
    () => {
      if (nullable === true) code.line(`${target} = null`)
      else if (nullable === false) code.line(`throw ${ctx.use('unexpectedNull')}(${quotedPath})`)
      else {
        code.line(`if (!(${nullable})) throw ${ctx.use('unexpectedNull')}(${quotedPath})`)
        code.line(`${target} = null`)
      }
    },
    '} else {',
  )
  code.indent(() => {
    code.line(`${ctx.use('checkArrayLength')}(reader, ${length}, ${quotedPath})`)
    const element = type.element
    const items = ctx.fresh('items')
    let elementType: string
    let read: string
    if (element.kind === 'struct') {
      elementType = element.struct.typeName
      read = `read${element.struct.typeName}(reader, version)`
    } else if (FIXED_READ[element.name] !== undefined) {
      elementType =
        element.name === 'int64'
          ? 'bigint'
          : element.name === 'bool'
            ? 'boolean'
            : element.name === 'uuid'
              ? ctx.use('Uuid')
              : 'number'
      read = `reader.${FIXED_READ[element.name]}()`
    } else {
      const methods = VARIABLE_READ[element.name]!
      elementType = element.name === 'string' ? 'string' : 'Uint8Array'
      read = choose(
        flexible,
        `reader.${methods.compact[0]}(${quotedPath})`,
        `reader.${methods.classic[0]}(${quotedPath})`,
      )
    }
    code.line(`const ${items}: ${elementType}[] = []`)
    const index = ctx.fresh('i')
    code.line(`for (let ${index} = 0; ${index} < ${length}; ${index}++) ${items}.push(${read})`)
    code.line(`${target} = ${items}`)
  })
  code.line('}')
}

/** Emits `function readX(reader, version): X` for one struct (exported for the message itself). */
export function emitStructReader(ctx: EmitContext, struct: StructSpec, isRoot: boolean): void {
  const code = ctx.code
  const message = ctx.message
  const possible = struct.versions
  const flexible = message.flexibleVersions.intersect(possible)
  const tagged = ctx.hasFlexibleVersions ? taggedFieldsOf(struct, flexible) : []
  const readerType = ctx.use('Reader')
  if (isRoot) {
    code.line(
      `/** Reads ${message.name} at any version from ${message.validVersions.lowest} to ${message.validVersions.highest}. */`,
    )
  }
  code.block(
    `${isRoot ? 'export ' : ''}function read${struct.typeName}(reader: ${readerType}, version: number): ${struct.typeName}`,
    () => {
      if (isRoot) {
        const { lowest, highest } = message.validVersions
        code.line(
          `if (version < ${lowest} || version > ${highest}) throw ${ctx.use('unsupportedVersion')}('${message.name}', version, ${lowest}, ${highest})`,
        )
      }
      const locals: Array<[string, string]> = []
      for (const field of struct.fields) {
        const local = `_${field.property}`
        locals.push([field.property, local])
        const present = field.versions.intersect(possible)
        const untagged = present.subtract(field.taggedVersions)
        const condition = versionCondition(untagged, possible)
        const isTagged = tagged.includes(field)
        const path = `${struct.path}.${field.property}`
        const type = tsType(field, false)
        const expression = readExpression(ctx, field, untagged, false, path)
        if (condition === true && !isTagged && expression !== undefined) {
          code.line(`const ${local}: ${type} = ${expression}`)
        } else if (condition === true && !isTagged) {
          code.line(`let ${local}: ${type}`)
          emitValueRead(ctx, field, local, untagged, false, path)
        } else {
          code.line(`let ${local}: ${type} = ${defaultExpr(field)}`)
          if (condition !== false)
            code.block(`if (${condition})`, () => emitValueRead(ctx, field, local, untagged, false, path))
        }
      }
      if (ctx.hasFlexibleVersions) {
        const taggedType = ctx.use('TaggedField')
        code.line(`let unknownTagged: ${taggedType}[] | undefined`)
        const flexibleCondition = versionCondition(message.flexibleVersions, possible)
        if (flexibleCondition !== false) {
          code.when(flexibleCondition, () => emitTaggedSectionRead(ctx, struct, tagged, flexible))
        }
        locals.push(['unknownTaggedFields', 'unknownTagged'])
      }
      code.line(`return { ${locals.map(([property, local]) => `${property}: ${local}`).join(', ')} }`)
    },
  )
  code.line()
}

function emitTaggedSectionRead(
  ctx: EmitContext,
  struct: StructSpec,
  tagged: FieldSpec[],
  flexible: Versions,
): void {
  const code = ctx.code
  if (tagged.length === 0) {
    code.line(`unknownTagged = ${ctx.use('readUnknownTaggedFields')}(reader)`)
    return
  }
  code.line('const taggedCount = reader.readUnsignedVarint()')
  code.block('for (let t = 0; t < taggedCount; t++)', () => {
    code.line('const tag = reader.readUnsignedVarint()')
    code.line('const size = reader.readUnsignedVarint()')
    code.line('const start = reader.offset')
    code.block('switch (tag)', () => {
      for (const field of tagged) {
        const versions = field.taggedVersions.intersect(field.versions).intersect(flexible)
        const condition = versionCondition(versions, flexible)
        code.block(`case ${field.tag}:`, () => {
          if (condition !== true) {
            code.line(`if (!(${condition})) throw ${ctx.use('invalidTag')}(tag, '${struct.path}', version)`)
          }
          emitValueRead(ctx, field, `_${field.property}`, versions, true, `${struct.path}.${field.property}`)
          code.line(`${ctx.use('checkTaggedFieldSize')}(reader, start, size, tag, '${struct.path}')`)
          code.line('break')
        })
      }
      code.line('default:')
      code.indent(() => code.line('(unknownTagged ??= []).push({ tag, data: reader.readView(size) })'))
    })
  })
}
