import { defineProject } from 'vitest/config'
import { unitProject } from '../vitest.shared'

// Unit tests of the report code only (`src/**/*.test.ts`); the suite itself is `npm run -w @x/bench suite`.
export default defineProject(unitProject('bench'))
