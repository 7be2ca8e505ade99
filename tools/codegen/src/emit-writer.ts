import type { EmitContext } from './emit-context.js'
import { defaultDisplay, FIXED_SIZE, inputValue, nonDefaultExpr, typeAllowsNull } from './field-types.js'
import type { FieldSpec, PrimitiveType, StructSpec } from './spec-model.js'
import { Versions, versionCondition } from './versions.js'

const FIXED_WRITE: Partial<Record<PrimitiveType, string>> = {
  bool: 'writeBoolean',
  int8: 'writeInt8',
  int16: 'writeInt16',
  uint16: 'writeUInt16',
  int32: 'writeInt32',
  uint32: 'writeUInt32',
  int64: 'writeInt64',
  float64: 'writeFloat64',
  uuid: 'writeUuid',
}

/** Writer method names for the variable-length primitives: [classic, compact] x [non-null, nullable]. */
const VARIABLE_WRITE: Partial<
  Record<PrimitiveType, { classic: [string, string]; compact: [string, string] }>
> = {
  string: {
    classic: ['writeString', 'writeNullableString'],
    compact: ['writeCompactString', 'writeCompactNullableString'],
  },
  bytes: {
    classic: ['writeBytes', 'writeNullableBytes'],
    compact: ['writeCompactBytes', 'writeCompactNullableBytes'],
  },
  records: {
    classic: ['writeRecords', 'writeRecords'],
    compact: ['writeCompactRecords', 'writeCompactRecords'],
  },
}

/** Emits `if (flexible) a() else b()` or just the branch the version range implies. */
function byFlexibility(
  ctx: EmitContext,
  condition: boolean | string,
  flexible: () => void,
  classic: () => void,
): void {
  if (condition === true) flexible()
  else if (condition === false) classic()
  else {
    ctx.code.block(`if (${condition})`, flexible, '} else {')
    ctx.code.indent(classic)
    ctx.code.line('}')
  }
}

/**
 * Emits the encoding of `value` (a local holding the field's value) for versions in `possible`. `tagged`
 * means inside a tagged field: always the flexible encoding, and a nullable struct's presence marker is a
 * varint rather than an int8 (as Java writes it).
 */
export function emitValueWrite(
  ctx: EmitContext,
  writer: string,
  field: FieldSpec,
  value: string,
  possible: Versions,
  tagged: boolean,
): void {
  const code = ctx.code
  const flexible = tagged ? true : versionCondition(ctx.flexibleVersions(field), possible)
  const nullable = versionCondition(field.nullableVersions, possible)
  const mayBeNull = typeAllowsNull(field)
  // Null where the version does not allow it: Java throws NullPointerException; we name the field.
  if (mayBeNull && nullable !== true) {
    const check = nullable === false ? `${value} === null` : `${value} === null && !(${nullable})`
    code.line(
      `if (${check}) throw ${ctx.use('nullField')}('${ownerPath(field, ctx)}.${field.property}', version)`,
    )
  }
  const type = field.type
  if (type.kind === 'primitive') {
    const fixed = FIXED_WRITE[type.name]
    if (fixed !== undefined) {
      code.line(`${writer}.${fixed}(${value})`)
      return
    }
    const methods = VARIABLE_WRITE[type.name]!
    const pick = (pair: [string, string]) => (mayBeNull && nullable !== false ? pair[1] : pair[0])
    byFlexibility(
      ctx,
      flexible,
      () => code.line(`${writer}.${pick(methods.compact)}(${value})`),
      () => code.line(`${writer}.${pick(methods.classic)}(${value})`),
    )
    return
  }
  if (type.kind === 'struct') {
    const call = `write${type.struct.typeName}(${writer}, version, ${value})`
    if (mayBeNull && nullable !== false) {
      const absent = tagged ? `${writer}.writeUnsignedVarint(0)` : `${writer}.writeInt8(-1)`
      const present = tagged ? `${writer}.writeUnsignedVarint(1)` : `${writer}.writeInt8(1)`
      code.block(`if (${value} === null)`, () => code.line(absent), '} else {')
      code.indent(() => {
        code.line(present)
        code.line(call)
      })
      code.line('}')
    } else {
      code.line(call)
    }
    return
  }
  // Arrays: the length, then each element; null arrays are length -1 (classic) or 0 (compact).
  const writeArray = (compact: boolean) => {
    const lengthMethod = compact ? 'writeCompactArrayLength' : 'writeArrayLength'
    const body = () => {
      code.line(`${writer}.${lengthMethod}(${value}.length)`)
      const index = ctx.fresh('i')
      code.block(`for (let ${index} = 0; ${index} < ${value}.length; ${index}++)`, () => {
        const element = type.element
        const item = `${value}[${index}]!`
        if (element.kind === 'struct') {
          code.line(`write${element.struct.typeName}(${writer}, version, ${item})`)
        } else if (FIXED_WRITE[element.name] !== undefined) {
          code.line(`${writer}.${FIXED_WRITE[element.name]}(${item})`)
        } else {
          const methods = VARIABLE_WRITE[element.name]!
          code.line(`${writer}.${compact ? methods.compact[0] : methods.classic[0]}(${item})`)
        }
      })
    }
    if (mayBeNull && nullable !== false) {
      code.block(`if (${value} === null)`, () => code.line(`${writer}.${lengthMethod}(-1)`), '} else {')
      code.indent(body)
      code.line('}')
    } else {
      body()
    }
  }
  byFlexibility(
    ctx,
    flexible,
    () => writeArray(true),
    () => writeArray(false),
  )
}

function ownerPath(field: FieldSpec, ctx: EmitContext): string {
  for (const struct of ctx.message.structs) if (struct.fields.includes(field)) return struct.path
  return ctx.message.name
}

/** Emits `function writeX(writer, version, value)` for one struct (exported for the message itself). */
export function emitStructWriter(ctx: EmitContext, struct: StructSpec, isRoot: boolean): void {
  const code = ctx.code
  const message = ctx.message
  const valueName = 'value'
  const writerType = ctx.use('Writer')
  const signature = `function write${struct.typeName}(writer: ${writerType}, version: number, ${valueName}: ${struct.typeName}Input): void`
  if (isRoot) {
    code.line(
      `/** Writes ${message.name} at any version from ${message.validVersions.lowest} to ${message.validVersions.highest}. */`,
    )
  }
  code.block(`${isRoot ? 'export ' : ''}${signature}`, () => {
    if (isRoot) {
      const { lowest, highest } = message.validVersions
      code.line(
        `if (version < ${lowest} || version > ${highest}) throw ${ctx.use('unsupportedVersion')}('${message.name}', version, ${lowest}, ${highest})`,
      )
    }
    for (const field of struct.fields) emitFieldWrite(ctx, struct, field, valueName)
    emitTaggedSectionWrite(ctx, struct, valueName)
  })
  code.line()
}

function emitFieldWrite(ctx: EmitContext, struct: StructSpec, field: FieldSpec, object: string): void {
  const code = ctx.code
  const possible = struct.versions
  const present = field.versions.intersect(possible)
  const presentCondition = versionCondition(field.versions, possible)
  const untagged = present.subtract(field.taggedVersions)
  const nonIgnorableCheck = () => {
    const local = ctx.fresh(field.property)
    code.line(`const ${local} = ${inputValue(field, struct, object)}`)
    code.line(
      `if (${nonDefaultExpr(field, local)}) throw ${ctx.use('nonDefaultField')}('${struct.path}.${field.property}', version, '${field.versions}', ${JSON.stringify(defaultDisplay(field))})`,
    )
  }
  if (presentCondition === false) {
    if (!field.ignorable) nonIgnorableCheck()
    return
  }
  const untaggedCondition = versionCondition(untagged, present)
  const writePresent = () => {
    if (untaggedCondition === false) return
    ctx.code.when(untaggedCondition === true ? true : untaggedCondition, () => {
      const local = ctx.fresh(field.property)
      code.line(`const ${local} = ${inputValue(field, struct, object)}`)
      emitValueWrite(ctx, 'writer', field, local, untagged, false)
    })
  }
  if (presentCondition === true) {
    writePresent()
  } else if (untaggedCondition === false) {
    // Tagged in every version it exists in: written in the tagged-field section.
    if (!field.ignorable) code.block(`if (!(${presentCondition}))`, nonIgnorableCheck)
  } else {
    const needsElse = !field.ignorable
    code.block(`if (${presentCondition})`, writePresent, needsElse ? '} else {' : '}')
    if (needsElse) {
      code.indent(nonIgnorableCheck)
      code.line('}')
    }
  }
}

/** The tagged fields a struct can carry in `flexible` versions, sorted by tag. */
export function taggedFieldsOf(struct: StructSpec, flexible: Versions): FieldSpec[] {
  return struct.fields
    .filter(
      (field) =>
        field.tag !== undefined && !field.taggedVersions.intersect(field.versions).intersect(flexible).empty,
    )
    .sort((a, b) => a.tag! - b.tag!)
}

function emitTaggedSectionWrite(ctx: EmitContext, struct: StructSpec, object: string): void {
  const code = ctx.code
  if (!ctx.hasFlexibleVersions) return
  const possible = struct.versions
  const flexibleCondition = versionCondition(ctx.message.flexibleVersions, possible)
  const unknown = `${object}.unknownTaggedFields`
  if (flexibleCondition === false) {
    code.line(
      `if (${unknown} !== undefined && ${unknown}.length !== 0) throw ${ctx.use('unknownTaggedFieldsNotSupported')}('${struct.path}', version)`,
    )
    return
  }
  const flexible = ctx.message.flexibleVersions.intersect(possible)
  const tagged = taggedFieldsOf(struct, flexible)
  const body = () => {
    if (tagged.length === 0) {
      code.line(`${ctx.use('writeUnknownTaggedFields')}(writer, ${unknown})`)
      return
    }
    code.line(`const unknownTagged = ${unknown}`)
    code.line('let taggedCount = unknownTagged === undefined ? 0 : unknownTagged.length')
    const slots: Array<{ field: FieldSpec; value: string; write: string }> = []
    for (const field of tagged) {
      const versions = field.taggedVersions.intersect(field.versions)
      const condition = versionCondition(versions, flexible)
      const value = ctx.fresh(field.property)
      const write = ctx.fresh('writeTag')
      code.line(`const ${value} = ${inputValue(field, struct, object)}`)
      const nullableTagged = !field.nullableVersions.intersect(field.taggedVersions).empty
      let should: string
      if (nullableTagged && field.defaultText === 'null') should = `${value} !== null`
      else if (nullableTagged) should = `(${value} === null || ${nonDefaultExpr(field, value)})`
      else should = nonDefaultExpr(field, value)
      code.line(`const ${write} = ${condition === true ? '' : `${condition} && `}${should}`)
      code.line(`if (${write}) taggedCount++`)
      slots.push({ field, value, write })
    }
    code.line('writer.writeUnsignedVarint(taggedCount)')
    code.line('let unknownIndex = 0')
    const before = ctx.use('writeTaggedFieldsBefore')
    for (const { field, value, write } of slots) {
      code.line(`unknownIndex = ${before}(writer, unknownTagged, unknownIndex, ${field.tag})`)
      code.block(`if (${write})`, () => {
        code.line(`writer.writeUnsignedVarint(${field.tag})`)
        const versions = field.taggedVersions.intersect(field.versions).intersect(flexible)
        const fixed = field.type.kind === 'primitive' ? FIXED_SIZE[field.type.name] : undefined
        if (fixed !== undefined && !typeAllowsNull(field)) {
          code.line(`writer.writeUnsignedVarint(${fixed})`)
          emitValueWrite(ctx, 'writer', field, value, versions, true)
        } else {
          // Variable-length value: encode it aside to learn its size (tagged fields are rare and small).
          const sub = ctx.fresh('tagged')
          code.line(`const ${sub} = new ${ctx.useWriterValue()}(64)`)
          emitValueWrite(ctx, sub, field, value, versions, true)
          code.line(`writer.writeUnsignedVarint(${sub}.byteLength)`)
          code.line(`writer.append(${sub})`)
        }
      })
    }
    code.line(`${before}(writer, unknownTagged, unknownIndex, Number.POSITIVE_INFINITY)`)
  }
  if (flexibleCondition === true) {
    body()
  } else {
    code.block(
      `if (${flexibleCondition})`,
      body,
      `} else if (${unknown} !== undefined && ${unknown}.length !== 0) {`,
    )
    code.indent(() =>
      code.line(`throw ${ctx.use('unknownTaggedFieldsNotSupported')}('${struct.path}', version)`),
    )
    code.line('}')
  }
}

export { Versions }
