// The weapp build's package sizes against WeChat's limits: `npm run size` (after `npm run
// build:weapp`), or `node scripts/package-size.mjs <folder>` for another build folder.
//
// The main package is every file of the build outside the subpackage roots that app.json lists
// (`subPackages`, or its older spelling `subpackages`); each subpackage is the files under its
// root. WeChat refuses a package over 2 MB (2,097,152 bytes) and an app over 20 MB; we aim at a
// main package under 1 MB. Prints one line a package; exits 1 over a limit (a warning only over
// the aim), 2 when there is no build. The developer tools' own project files are not packed.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const MB = 1024 * 1024
const PACKAGE_LIMIT = 2 * MB
const APP_LIMIT = 20 * MB
const MAIN_AIM = 1 * MB
const NOT_PACKED = new Set(['project.config.json', 'project.private.config.json'])

const folder = path.resolve(process.argv[2] ?? 'dist/weapp')
const appJson = path.join(folder, 'app.json')
if (!existsSync(appJson)) {
  console.error(`No weapp build in ${folder} (no app.json): run \`npm run build:weapp\` first.`)
  process.exit(2)
}

const app = JSON.parse(readFileSync(appJson, 'utf8'))
const roots = (app.subPackages ?? app.subpackages ?? [])
  .map((entry) => String(entry.root ?? '').replace(/^\/+|\/+$/g, ''))
  .filter(Boolean)

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) yield* files(full)
    else if (entry.isFile()) yield full
  }
}

const sizes = new Map([['main', 0], ...roots.map((root) => [root, 0])])
for (const file of files(folder)) {
  const relative = path.relative(folder, file).split(path.sep).join('/')
  if (NOT_PACKED.has(relative)) continue
  const root = roots.find((r) => relative === r || relative.startsWith(`${r}/`))
  const key = root ?? 'main'
  sizes.set(key, sizes.get(key) + statSync(file).size)
}

const total = [...sizes.values()].reduce((a, b) => a + b, 0)
const kilobytes = (bytes) => (bytes / 1024).toFixed(1)
const format = (bytes) =>
  `${bytes.toLocaleString('en-US').padStart(total.toLocaleString('en-US').length)} bytes ` +
  `(${kilobytes(bytes).padStart(kilobytes(total).length)} KB)`
const label = (key) => (key === 'main' ? 'main package' : `subpackage ${key}/`)
const width = Math.max(...[...sizes.keys()].map((key) => label(key).length))
let failed = false
console.log(
  `weapp package sizes in ${path.relative(process.cwd(), folder) || '.'} (WeChat's limit: 2 MB = 2,097,152 bytes a package, 20 MB in all; our aim: main package under 1 MB)`,
)
for (const [key, bytes] of sizes) {
  let verdict = 'ok'
  if (bytes > PACKAGE_LIMIT) {
    verdict = 'OVER the 2 MB limit: WeChat refuses it'
    failed = true
  } else if (key === 'main' && bytes > MAIN_AIM) {
    verdict = 'WARNING: over the 1 MB aim'
  }
  console.log(`  ${label(key).padEnd(width)}  ${format(bytes)}  ${verdict}`)
}
let verdict = 'ok'
if (total > APP_LIMIT) {
  verdict = 'OVER the 20 MB limit: WeChat refuses it'
  failed = true
}
console.log(`  ${'all packages'.padEnd(width)}  ${format(total)}  ${verdict}`)
process.exit(failed ? 1 : 0)
