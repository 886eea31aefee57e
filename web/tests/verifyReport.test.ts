import { describe, expect, it } from 'vitest'
import type { SignatureEntry } from '../src/api/types'
import { certification, checkFile, commonName, pdfDate, reasons, summarize } from '../src/lib/verifyReport'

const entry = (over: Partial<SignatureEntry> = {}): SignatureEntry => ({
  kind: 'signature', verdict: 'valid', field: 'Signature1', revision: 2, signed_revision: 2, covers_whole_file: true,
  in_final_form: true, sub_filter: '/ETSI.CAdES.detached', claimed_time: 'D:20261204103000Z', timestamp_time: '2026-12-04T10:30:01Z',
  timestamp_authority: 'CN=Pactum TSA,O=Pactum', proven_time: '2026-12-04T10:30:01Z', name: '', reason: '同意', location: '',
  digest_algorithm: 'sha256', signer: 'CN=张三,O=Demo Group', issuer: 'CN=Pactum Issuing CA', chain: ['CN=张三', 'CN=Pactum Root'],
  integrity: 'intact', changes_summary: 'none', revocation: 'good', revocation_fetched_online: false, ltv: true,
  findings: [], changes: [], ...over,
})

describe('verification summary', () => {
  it('reads names out of distinguished names', () => {
    expect(commonName('CN=张三,O=Demo Group')).toBe('张三')
    expect(commonName('O=Demo, CN=Li Si')).toBe('Li Si')
    expect(commonName('/C=CN/CN=王五')).toBe('王五')
    expect(commonName('O=No Name')).toBe('O=No Name')
  })
  it('reads PDF dates', () => {
    expect(pdfDate('D:20261204103000Z')).toBe('2026-12-04T10:30:00.000Z')
    expect(pdfDate("D:20261204183000+08'00'")).toBe('2026-12-04T10:30:00.000Z')
    expect(pdfDate('yesterday')).toBe('')
  })
  it('shows the certification level', () => {
    expect(certification(entry())).toBe('none')
    expect(certification(entry({ docmdp: 2 }))).toBe('p2')
  })
  it('gives the reasons of a verdict, errors first', () => {
    const e = entry({
      verdict: 'invalid',
      findings: [
        { severity: 'info', code: 'x', message: 'fine' },
        { severity: 'indeterminate', code: 'chain.untrusted', message: 'untrusted' },
        { severity: 'error', code: 'digest.mismatch', message: 'the document was altered' },
      ],
      changes: [{ severity: 'warning', code: 'change.annotation', message: 'an annotation' }],
    })
    expect(reasons(e).map((f) => f.code)).toEqual(['digest.mismatch', 'chain.untrusted'])
    const s = summarize(e)
    expect(s.signer).toBe('张三')
    expect(s.timestampAuthority).toBe('Pactum TSA')
    expect(s.warnings.map((f) => f.code)).toEqual(['change.annotation'])
  })
  it('refuses files that are not PDFs before sending them', () => {
    const pdf = new TextEncoder().encode('%PDF-1.7\n')
    expect(checkFile('a.pdf', 'application/pdf', 9, pdf)).toBe('')
    expect(checkFile('a.txt', 'text/plain', 9, new TextEncoder().encode('hello'))).toBe('notPdf')
    expect(checkFile('fake.pdf', 'application/pdf', 5, new TextEncoder().encode('hello'))).toBe('notPdf')
    expect(checkFile('a.pdf', 'application/pdf', 0, new Uint8Array())).toBe('notPdf')
    expect(checkFile('a.pdf', 'application/pdf', 60 * 1024 * 1024, pdf)).toBe('tooLarge')
  })
})
