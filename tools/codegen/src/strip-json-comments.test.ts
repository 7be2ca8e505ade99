// Kafka's spec files carry `//` comments (the specs' README: "this version of JSON supports comments").
import { describe, expect, it } from 'vitest'
import { stripJsonComments } from './strip-json-comments.js'

describe('stripJsonComments', () => {
  it('removes line comments, whole-line and trailing, keeping line numbers', () => {
    const text = '// licence\n{\n  "a": 1, // trailing\n  // note\n  "b": 2\n}\n'
    const stripped = stripJsonComments(text)
    expect(JSON.parse(stripped)).toEqual({ a: 1, b: 2 })
    expect(stripped.split('\n')).toHaveLength(text.split('\n').length)
  })

  it('leaves // inside strings, escaped quotes included', () => {
    const text = '{ "about": "see http://kafka.apache.org // not a comment", "q": "a \\" // b" }'
    expect(JSON.parse(stripJsonComments(text))).toEqual({
      about: 'see http://kafka.apache.org // not a comment',
      q: 'a " // b',
    })
  })
})
