import { describe, expect, it } from 'vitest'
import { randomClusterId } from './cluster-id.js'

describe('randomClusterId', () => {
  it('is 16 bytes of unpadded URL-safe base64 that never starts with a dash', () => {
    for (let i = 0; i < 2000; i++) {
      const id = randomClusterId()
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/)
      expect(Buffer.from(id, 'base64url')).toHaveLength(16)
    }
  })
})
