// What the verification page shows for one signature, read from the validator's JSON
// (src/pactum/pdf/README.md): the lines of Adobe's signature panel, in plain words.
import type { Finding, SignatureEntry, VerificationReport } from '../api/types'

export const MAX_VERIFY_BYTES = 50 * 1024 * 1024

// commonName returns the CN of a distinguished name such as "CN=张三,O=Demo" (the whole text
// when it has none).
export function commonName(subject: string): string {
  if (!subject) return ''
  for (const part of subject.split(/,(?=\s*[A-Za-z.0-9]+=)|\/(?=[A-Za-z.0-9]+=)/)) {
    const [key, ...rest] = part.trim().split('=')
    if (key.trim().toUpperCase() === 'CN' && rest.length) return rest.join('=').trim()
  }
  return subject
}

// pdfDate turns a PDF date "D:20261204103000Z" or "D:20261204103000+08'00'" into ISO 8601
// ("" when it does not parse).
export function pdfDate(text: string): string {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(text.trim())
  if (!m) return ''
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', zone = 'Z'] = m
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.replace(/'/g, '').slice(3, 5)}`
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`
  return Number.isNaN(Date.parse(iso)) ? '' : new Date(iso).toISOString()
}

export type Certification = 'none' | 'p1' | 'p2' | 'p3'

export function certification(entry: SignatureEntry): Certification {
  if (entry.docmdp === 1 || entry.docmdp === 2 || entry.docmdp === 3) return `p${entry.docmdp}` as Certification
  return 'none'
}

// reasons are the findings that decide the verdict (errors first, then indeterminate ones):
// why a signature is not valid, in the validator's own sentences.
export function reasons(entry: SignatureEntry): Finding[] {
  const rank = { error: 0, indeterminate: 1, warning: 2, info: 3 } as const
  return [...entry.findings, ...entry.changes]
    .filter((f) => f.severity === 'error' || f.severity === 'indeterminate')
    .sort((a, b) => rank[a.severity] - rank[b.severity])
}

export interface SignatureSummary {
  kind: SignatureEntry['kind']
  verdict: SignatureEntry['verdict']
  signer: string
  issuer: string
  claimedTime: string
  timestampTime: string
  timestampAuthority: string
  integrity: SignatureEntry['integrity']
  changes: SignatureEntry['changes_summary']
  revocation: string
  ltv: boolean
  certification: Certification
  reason: string
  location: string
  chain: string[]
  why: Finding[]
  warnings: Finding[]
}

export function summarize(entry: SignatureEntry): SignatureSummary {
  return {
    kind: entry.kind,
    verdict: entry.verdict,
    signer: entry.name || commonName(entry.signer),
    issuer: commonName(entry.issuer),
    claimedTime: pdfDate(entry.claimed_time),
    timestampTime: entry.timestamp_time,
    timestampAuthority: commonName(entry.timestamp_authority),
    integrity: entry.integrity,
    changes: entry.changes_summary,
    revocation: entry.revocation,
    ltv: entry.ltv,
    certification: certification(entry),
    reason: entry.reason,
    location: entry.location,
    chain: entry.chain.map(commonName),
    why: reasons(entry),
    warnings: [...entry.findings, ...entry.changes].filter((f) => f.severity === 'warning'),
  }
}

export function summarizeReport(report: VerificationReport) {
  return { verdict: report.verdict, document: report.document, signatures: report.signatures.map(summarize) }
}

// checkFile says why a chosen file cannot be sent ('' when it can): not a PDF by name, type or
// first bytes, empty, or over the limit.
export function checkFile(name: string, type: string, size: number, head: Uint8Array): 'notPdf' | 'tooLarge' | '' {
  if (size > MAX_VERIFY_BYTES) return 'tooLarge'
  const named = name.toLowerCase().endsWith('.pdf') || type === 'application/pdf'
  const magic = new TextDecoder('latin1').decode(head).includes('%PDF-')
  return size > 0 && named && magic ? '' : 'notPdf'
}
