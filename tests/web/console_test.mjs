// The console and the public verification page in Debian's chromium (playwright-core), against
// a pactumd the test starts on a fresh `pactum init --demo` data directory:
// - log-in with a demo login; the dashboard, members, API apps (create: the secret shown once)
//   and audit pages show the demo tenant's data;
// - /verify (no log-in) shows a file we signed (B-LT under the node's own platform CA, signed
//   with `pactum sign` against this pactumd's TSA and OCSP) valid, the same file with one byte
//   changed invalid, and a text file refused with a message;
// - a bad signing link is explained in words, on a phone viewport;
// - every page: no console error, every form control labelled, a screenshot in the artifacts.
//
// node console_test.mjs --pactum P --pactumd P --web-root DIST --web-dir web/ --artifacts DIR
import fs from 'node:fs'
import path from 'node:path'
import {
  PHONE, Report, checkPage, launchBrowser, minimalPdf, parseArgs, run, runOrThrow, startNode, tempDir, watchConsole,
} from './lib.mjs'

const args = parseArgs(process.argv.slice(2))
const report = new Report()
const work = tempDir('console-test')
const artifacts = path.resolve(args.artifacts)
fs.mkdirSync(artifacts, { recursive: true })
let node = null
let browser = null

// signedFiles signs a fresh PDF at B-LT with a person certificate of the node's platform CA
// (the TSA and OCSP of the running pactumd), and makes a copy with one byte changed.
function signedFiles(url, data) {
  const pki = path.join(data, 'pki', 'ca')
  const input = path.join(work, 'in.pdf')
  fs.writeFileSync(input, minimalPdf('Pactum browser test'))
  runOrThrow(args.pactum, ['ca', 'issue', '--data', data, '--person', '--name', '测试签署人', '--id', '110101199003071234',
    '--key-out', path.join(work, 'signer.key'), '-o', path.join(work, 'signer.pem')])
  const signed = path.join(work, 'signed.pdf')
  runOrThrow(args.pactum, ['sign', input, signed, '--key', path.join(work, 'signer.key'), '--cert', path.join(work, 'signer.pem'),
    '--chain', path.join(pki, 'issuing.cert.pem'), '--page', '1', '--rect', '72,600,200,60', '--reason', '同意 / Agreed',
    '--level', 'B-LT', '--tsa', `${url}/tsa`, '--tsa-trust', path.join(pki, 'root.cert.pem')])
  const cli = run(args.pactum, ['verify', signed, '--trust', path.join(pki, 'root.cert.pem')])
  report.check(cli.status === 0, 'pactum verify says the signed file is valid (exit 0)', cli.stdout)
  const bytes = fs.readFileSync(signed)
  const at = bytes.indexOf('browser test')
  const altered = Buffer.from(bytes)
  altered[at] = 'B'.charCodeAt(0) // one byte of the signed page content
  const tampered = path.join(work, 'tampered.pdf')
  fs.writeFileSync(tampered, altered)
  const text = path.join(work, 'notes.txt')
  fs.writeFileSync(text, 'not a pdf\n')
  return { signed, tampered, text }
}

async function consolePages(owner) {
  const page = await browser.newPage()
  const errors = watchConsole(page)
  await page.goto(`${node.url}/`)
  await page.waitForURL(/\/login/)
  await page.getByRole('heading', { name: '登录 Pactum' }).waitFor()
  report.pass('/ without a session opens the log-in page, in Chinese')
  await checkPage(report, page, '01-login', errors, artifacts)

  // An empty form says what is missing, on the page.
  await page.getByRole('button', { name: '登录' }).click()
  report.check(await page.getByRole('alert').filter({ hasText: '不能为空' }).isVisible(), 'log-in: an empty field is named on the page')
  await page.getByLabel('邮箱或手机号').fill(owner.login)
  await page.getByLabel('密码', { exact: true }).fill('wrong-password')
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByRole('alert').filter({ hasText: '登录失败' }).waitFor()
  report.pass('log-in: a wrong password gets a clear message')
  errors.length = 0 // the refused log-in's 401 is the browser's own console line

  await page.getByLabel('密码', { exact: true }).fill(owner.password)
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByRole('heading', { name: '概览' }).waitFor()
  report.pass('log-in with the demo owner opens the dashboard')
  await page.locator('.chart canvas').first().waitFor()
  report.check((await page.locator('.chart').count()) >= 3, 'dashboard: the charts are drawn')
  await checkPage(report, page, '02-dashboard', errors, artifacts)

  await page.getByRole('menuitem', { name: '成员与部门' }).click()
  await page.locator('[data-test=members-table]').getByText('demo.member@pactum.test').waitFor()
  report.pass('members: the demo members are listed')
  await checkPage(report, page, '03-members', errors, artifacts)
  await page.getByRole('tab', { name: '部门', exact: true }).click()
  await page.getByLabel('新部门名称').fill('浏览器测试部')
  await page.getByRole('button', { name: '添加部门' }).click()
  await page.getByRole('cell', { name: '浏览器测试部' }).waitFor()
  report.pass('departments: a new department is added and listed')
  await checkPage(report, page, '04-departments', errors, artifacts)

  await page.getByRole('menuitem', { name: 'API 应用' }).click()
  await page.locator('[data-test=apps-table]').waitFor()
  await page.getByLabel('应用名称').fill('浏览器测试应用')
  await page.getByRole('button', { name: '创建应用' }).click()
  const secret = (await page.locator('[data-test=app-secret]').textContent())?.trim() ?? ''
  report.check(secret.length >= 20, 'apps: the new app\'s secret is shown once', secret)
  await checkPage(report, page, '05-app-secret', errors, artifacts)
  await page.getByRole('button', { name: '我已保存' }).click()
  await page.locator('[data-test=app-secret]').waitFor({ state: 'detached' })
  const row = page.locator('[data-test=apps-table] tr', { hasText: '浏览器测试应用' })
  await row.waitFor()
  report.check(!(await page.content()).includes(secret), 'apps: once closed, the secret is nowhere on the page')
  await row.getByRole('button', { name: '吊销' }).click()
  await page.getByRole('dialog').getByRole('button', { name: '吊销' }).click()
  await row.getByText('已吊销').waitFor()
  report.pass('apps: revoking an app shows it revoked')
  await checkPage(report, page, '06-apps', errors, artifacts)

  await page.getByRole('menuitem', { name: '审计日志' }).click()
  const audit = page.locator('[data-test=audit-table]')
  await audit.getByText('app.revoke').first().waitFor()
  report.check(await audit.getByText('department.create').first().isVisible() && await audit.getByText('app.create').first().isVisible(),
    'audit: the department, the app and its revocation are in the log, newest first')
  report.check((await audit.locator('tbody tr').first().innerText()).includes('app.revoke'), 'audit: the newest entry comes first')
  await checkPage(report, page, '07-audit', errors, artifacts)

  // English is one click away, and stays chosen.
  await page.getByRole('button', { name: 'English' }).click()
  await page.getByRole('heading', { name: 'Audit log' }).waitFor()
  report.pass('the language switch turns the console into English')
  await checkPage(report, page, '08-audit-en', errors, artifacts)
  await page.getByRole('button', { name: '中文' }).click()
  await page.close()
}

async function verifyPage(files) {
  const page = await browser.newPage()
  const errors = watchConsole(page)
  await page.goto(`${node.url}/verify`)
  await page.getByRole('heading', { name: '验证 PDF 签名' }).waitFor()
  await checkPage(report, page, '10-verify', errors, artifacts)

  await page.getByLabel('将 PDF 拖到这里，或点击选择文件').setInputFiles(files.signed)
  const result = page.locator('[data-test=verify-result]')
  await result.waitFor()
  const verdict = await result.getAttribute('data-verdict')
  const signature = page.locator('[data-test=signature]').first()
  const text = await result.innerText()
  report.check(verdict === 'valid', 'verify: the signed file is valid', `${verdict}: ${text}`)
  report.check(text.includes('测试签署人') && text.includes('签名后文档未被修改') && text.includes('已启用'),
    'verify: the panel names the signer, an intact document and LTV', text)
  report.check((await signature.getAttribute('data-verdict')) === 'valid', 'verify: the signature itself is valid')
  await checkPage(report, page, '11-verify-valid', errors, artifacts)

  await page.getByLabel('将 PDF 拖到这里，或点击选择文件').setInputFiles(files.tampered)
  await page.locator('[data-test=verify-result][data-verdict=invalid]').waitFor()
  const tamperedText = await page.locator('[data-test=verify-result]').innerText()
  report.check(tamperedText.includes('文档已被修改'), 'verify: one changed byte makes it invalid, and says the document was altered', tamperedText)
  await checkPage(report, page, '12-verify-invalid', errors, artifacts)

  await page.getByLabel('将 PDF 拖到这里，或点击选择文件').setInputFiles(files.text)
  const refusal = await page.locator('[data-test=verify-error]').innerText()
  report.check(refusal.includes('不是 PDF'), 'verify: a text file is refused with a message', refusal)
  report.check(!(await page.content()).match(/at [\w.]+ \(|Error:|stack/i), 'verify: no stack trace on the page')
  await checkPage(report, page, '13-verify-not-pdf', errors, artifacts)
  await page.close()
}

async function badSigningLink() {
  const phone = await launchBrowser(args['web-dir'], work, PHONE)
  const page = await phone.newPage()
  const errors = watchConsole(page)
  await page.goto(`${node.url}/s/not-a-real-token`)
  const problem = page.locator('[data-test=link-problem]')
  await problem.waitFor()
  const words = await problem.innerText()
  report.check(words.includes('签署链接无效') || words.includes('无法使用'), 'signer: a bad link is explained in words on a phone', words)
  // The refused link's 404 is the browser's own console line; nothing else may appear.
  const others = errors.filter((e) => !/Failed to load resource: the server responded with a status of 404/.test(e))
  errors.length = 0
  errors.push(...others)
  await checkPage(report, page, '20-signer-bad-link', errors, artifacts)
  await phone.close()
}

try {
  node = await startNode({ pactum: args.pactum, pactumd: args.pactumd, webRoot: args['web-root'], work })
  const owner = node.demo.logins.find((l) => l.role.startsWith('owner of Demo Group'))
  const files = signedFiles(node.url, node.data)
  browser = await launchBrowser(args['web-dir'], work)
  await consolePages(owner)
  await verifyPage(files)
  await badSigningLink()
} catch (error) {
  report.fail(`the run stopped: ${error.stack || error}`)
  if (node) console.log(node.log().split('\n').slice(-20).join('\n'))
} finally {
  if (browser) await browser.close().catch(() => {})
  if (node) await node.stop()
  fs.rmSync(work, { recursive: true, force: true })
}
process.exit(report.finish())
