import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { requireJava, requireJavac, requireKcat, requireMaven } from './required-tools.js'

const originalPath = process.env.PATH
const emptyDir = mkdtempSync(join(tmpdir(), 'no-tools-'))

afterEach(() => {
  process.env.PATH = originalPath
})

describe('required tools', () => {
  it('fails, naming the package to install, when java, javac, mvn or kcat is not on PATH', () => {
    process.env.PATH = emptyDir
    try {
      expect(() => requireJava()).toThrow(expect.objectContaining({ code: 'JAVA_MISSING' }))
      expect(() => requireJava()).toThrow(/apt-get install openjdk-17-jdk-headless/)
      expect(() => requireJavac()).toThrow(/a JDK, not only a JRE/)
      expect(() => requireMaven()).toThrow(/apt-get install maven/)
      expect(() => requireKcat()).toThrow(/install kcat: apt-get install kcat/)
    } finally {
      rmSync(emptyDir, { recursive: true, force: true })
    }
  })
})
