import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The harness package folder (holds `maven/` and `java/`). */
export const harnessDir = fileURLToPath(new URL('..', import.meta.url))

/** The repository root: jars and broker state live under its git-ignored `.cache/`. */
export const repoRoot = join(harnessDir, '..', '..')

/** Root of everything the harness writes; `KAFKA_HARNESS_CACHE` moves it (e.g. to a CI cache volume). */
export const cacheDir = process.env.KAFKA_HARNESS_CACHE ?? join(repoRoot, '.cache')

/** Maven's local repository: the downloaded jars. */
export const mavenRepoDir = join(cacheDir, 'm2')

/** Classpath files and compiled Java helpers of one broker version. */
export const installDir = (brokerVersion: string) => join(cacheDir, 'kafka', brokerVersion)

/** State of the broker started by hand through the CLI. */
export const localClusterDir = join(cacheDir, 'kafka', 'local')

/** Where test runs put their clusters (data dirs, logs, state files). */
export const runsDir = join(cacheDir, 'kafka', 'runs')
