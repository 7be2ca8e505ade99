import { defineProject } from 'vitest/config'
import { unitProject } from '../../vitest.shared'

export default defineProject(unitProject('cli'))
