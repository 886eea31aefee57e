// Helpers of the browser tests: a pactumd on a fresh demo data directory, Debian's chromium
// driven by playwright-core (never a downloaded browser), and the checks every page gets
// (no console error, every form control labelled, a screenshot kept as an artifact).
import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'

export function parseArgs(argv) {
  const args = {}
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--')) throw new Error(`unexpected argument ${argv[i]}`)
    args[argv[i].slice(2)] = argv[i + 1]
  }
  for (const name of ['pactum', 'pactumd', 'web-root', 'web-dir', 'artifacts']) {
    if (!args[name]) throw new Error(`--${name} is required`)
  }
  return args
}

// Report counts checks and prints the plain closing line ("N passed, N failed").
export class Report {
  passed = 0
  failed = 0
  pass(what) {
    this.passed++
    console.log(`PASS: ${what}`)
  }
  fail(what) {
    this.failed++
    console.log(`FAIL: ${what}`)
  }
  check(ok, what, detail = '') {
    if (ok) this.pass(what)
    else this.fail(detail ? `${what}: ${detail}` : what)
    return ok
  }
  finish() {
    console.log(`${this.passed} passed, ${this.failed} failed`)
    return this.failed === 0 ? 0 : 1
  }
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options })
  if (result.error) throw result.error
  return result
}

export function runOrThrow(command, args, options = {}) {
  const result = run(command, args, options)
  if (result.status !== 0) {
    throw new Error(`${path.basename(command)} ${args.join(' ')} exited ${result.status}: ${result.stderr || result.stdout}`)
  }
  return result
}

// freePort asks the kernel for a port that is free now (the data directory's base URL must name
// the port pactumd will listen on, because its certificates carry their OCSP and CRL URLs).
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

export function tempDir(name) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pactum-${name}-`))
}

// startNode makes a demo data directory whose base URL is the port pactumd then listens on,
// starts pactumd there serving the built web app, and returns {url, data, demo, stop}.
export async function startNode({ pactum, pactumd, webRoot, work }) {
  let lastError = null
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    const data = path.join(work, `data-${attempt}`)
    const url = `http://127.0.0.1:${port}`
    runOrThrow(pactum, ['init', data, '--demo', '--base-url', url])
    const child = spawn(pactumd, ['--data', data, '--listen', `127.0.0.1:${port}`, '--web-root', webRoot], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const stderr = []
    child.stderr.on('data', (chunk) => stderr.push(chunk))
    const started = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), 30_000)
      const lines = readline.createInterface({ input: child.stdout })
      lines.once('line', (line) => {
        clearTimeout(timer)
        resolve(line.startsWith('pactumd listening on '))
      })
      child.once('exit', () => {
        clearTimeout(timer)
        resolve(false)
      })
    })
    if (started) {
      const demo = JSON.parse(fs.readFileSync(path.join(data, 'demo.json'), 'utf8'))
      const stop = () =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve(child.exitCode)
          child.once('exit', (code) => resolve(code))
          child.kill('SIGTERM')
        })
      return { url, data, demo, stop, log: () => Buffer.concat(stderr).toString('utf8') }
    }
    lastError = Buffer.concat(stderr).toString('utf8')
    child.kill('SIGKILL')
  }
  throw new Error(`pactumd did not start: ${lastError}`)
}

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
]

export const DESKTOP = { viewport: { width: 1280, height: 860 } }
export const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
let profiles = 0

// launchBrowser starts /usr/bin/chromium through playwright-core with a fresh profile
// (--user-data-dir) and the device's viewport (DESKTOP or PHONE).
export async function launchBrowser(webDir, work, device = DESKTOP) {
  const require = createRequire(path.join(path.resolve(webDir), 'package.json'))
  const { chromium } = require('playwright-core')
  const profile = path.join(work, `chromium-profile-${++profiles}`)
  fs.mkdirSync(profile, { recursive: true })
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
    locale: 'zh-CN',
    acceptDownloads: true,
    ...device,
  })
  context.setDefaultTimeout(15_000)
  return context
}

// watchConsole collects the page's console errors and uncaught exceptions.
export function watchConsole(page) {
  const errors = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => errors.push(`exception: ${error.message}`))
  return errors
}

// unlabelledControls lists the form controls of the page that no label names: a <label for>,
// a wrapping <label>, aria-label or aria-labelledby.
export async function unlabelledControls(page) {
  return page.evaluate(() => {
    const out = []
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden') continue
      const named = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label')?.trim() ||
        (el.getAttribute('aria-labelledby') || '').split(/\s+/).some((id) => id && document.getElementById(id)?.textContent?.trim())
      if (!named) out.push(el.outerHTML.slice(0, 160))
    }
    return out
  })
}

// checkPage runs the checks every page gets and keeps its screenshot.
export async function checkPage(report, page, name, errors, artifacts) {
  await page.waitForLoadState('networkidle').catch(() => {})
  const file = path.join(artifacts, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  const unlabelled = await unlabelledControls(page)
  report.check(unlabelled.length === 0, `${name}: every form control has a label`, unlabelled.join(' | '))
  report.check(errors.length === 0, `${name}: no console error`, errors.join(' | '))
  errors.length = 0
}

// minimalPdf writes a one-page PDF whose page says `text` (a classic cross-reference table).
export function minimalPdf(text) {
  const content = `BT /F1 24 Tf 72 720 Td (${text}) Tj ET\n`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}endstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let out = '%PDF-1.4\n'
  const offsets = []
  objects.forEach((body, i) => {
    offsets.push(out.length)
    out += `${i + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = out.length
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}
