import type { EmitContext } from './emit-context.js'
import {
  defaultExpr,
  inputValue,
  isOptionalInput,
  nonDefaultExpr,
  tsType,
  versionNote,
} from './field-types.js'
import type { FieldSpec, StructSpec } from './spec-model.js'

function docComment(text: string): string {
  return `/** ${text.replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim()} */`
}

function fieldDoc(field: FieldSpec): string {
  const about = field.about.trim()
  return docComment(
    `${about}${about === '' || /[.!?]$/.test(about) ? '' : '.'} (${versionNote(field)})`.trim(),
  )
}

/**
 * Emits the read-side interface (every field present, as a reader returns it) and the write-side
 * `...Input` interface (version-dependent, tagged and defaulted fields optional, readonly arrays).
 */
export function emitStructTypes(ctx: EmitContext, struct: StructSpec, about: string): void {
  const code = ctx.code
  const hasTagged = ctx.hasFlexibleVersions
  if (about !== '') code.line(docComment(about))
  code.block(`export interface ${struct.typeName}`, () => {
    for (const field of struct.fields) {
      code.line(fieldDoc(field))
      code.line(`${field.property}: ${tsType(field, false)}`)
    }
    if (hasTagged) {
      code.line(
        '/** Tagged fields this code does not know, kept so a message read and written back loses nothing. */',
      )
      code.line(`unknownTaggedFields?: ${ctx.use('TaggedField')}[]`)
    }
  })
  code.line()
  code.line(
    docComment(
      `What \`write${struct.typeName}\` accepts: a \`${struct.typeName}\`, or one that leaves out fields that have a default or that some versions lack.`,
    ),
  )
  code.block(`export interface ${struct.typeName}Input`, () => {
    for (const field of struct.fields) {
      code.line(fieldDoc(field))
      code.line(`${field.property}${isOptionalInput(field, struct) ? '?' : ''}: ${tsType(field, true)}`)
    }
    if (hasTagged) code.line(`unknownTaggedFields?: readonly ${ctx.use('TaggedField')}[]`)
  })
  code.line()
}

/**
 * For structs used as a single (non-array) field: a factory for the default value, and the check Java's
 * `equals(new Struct())` makes to decide whether a tagged or version-limited struct field must be written.
 */
export function emitStructDefaults(ctx: EmitContext, struct: StructSpec): void {
  const code = ctx.code
  code.block(`function default${struct.typeName}(): ${struct.typeName}`, () => {
    const fields = struct.fields.map((field) => `${field.property}: ${defaultExpr(field)}`)
    if (ctx.hasFlexibleVersions) fields.push('unknownTaggedFields: undefined')
    code.line(`return { ${fields.join(', ')} }`)
  })
  code.line()
  code.block(`function isDefault${struct.typeName}(value: ${struct.typeName}Input): boolean`, () => {
    const checks = struct.fields.map(
      (field) => `!(${nonDefaultExpr(field, inputValue(field, struct, 'value'))})`,
    )
    if (ctx.hasFlexibleVersions)
      checks.push('(value.unknownTaggedFields === undefined || value.unknownTaggedFields.length === 0)')
    code.line(`return ${checks.length === 0 ? 'true' : checks.join(' && ')}`)
  })
  code.line()
}
