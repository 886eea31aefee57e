// The signer pages' state: which step to show from what the server says is still open, and what
// a refused link means in words. Pure functions, unit-tested in tests/signerFlow.test.ts.
import { ApiError } from '../api/client'
import type { SignerStep, SignerView } from '../api/types'

export type Screen = 'identity' | 'reading' | 'notice' | 'sign' | 'done'
export type LinkProblem = 'expired' | 'used' | 'revoked' | 'rejected' | 'completed' | 'notFound' | 'other'

const ORDER = ['identity', 'reading', 'notice'] as const

// screenFor picks the first open step in the order identity → reading → notice; with none of
// those open, the signing screen (where the intent step — the code — is taken with the
// signature); 'done' once the party has signed.
export function screenFor(view: Pick<SignerView, 'steps'> & { party?: { status?: string } }): Screen {
  if (view.party?.status === 'signed') return 'done'
  for (const step of ORDER) if (view.steps.includes(step)) return step
  return 'sign'
}

// progressSteps are the steps the progress bar shows for this party, in order.
export function progressSteps(initial: SignerStep[]): Screen[] {
  return [...ORDER.filter((s) => initial.includes(s)), 'sign', 'done']
}

// linkProblem says why a link was refused, from the status and words of the API's error (or
// from the state of a view that can no longer be signed).
export function linkProblem(error: unknown): LinkProblem {
  if (!(error instanceof ApiError)) return 'other'
  const text = `${error.code} ${error.message}`.toLowerCase()
  if (/revoked/.test(text)) return 'revoked'
  if (/rejected/.test(text)) return 'rejected'
  if (/expired/.test(text) || error.status === 410) return 'expired'
  if (/completed/.test(text)) return 'completed'
  if (/(already signed|used|has signed|finished)/.test(text)) return 'used'
  if (error.status === 404 || error.status === 401) return 'notFound'
  return 'other'
}

// problemFromView is the refusal a view shows when the contract has left `sent`.
export function problemFromView(view: { status?: string; party?: { status?: string } }): LinkProblem | null {
  switch (view.status) {
    case 'revoked':
      return 'revoked'
    case 'rejected':
      return 'rejected'
    case 'expired':
      return 'expired'
    default:
      break
  }
  if (view.party?.status === 'rejected') return 'rejected'
  if (view.party?.status === 'expired') return 'expired'
  return null
}

// ReadingTracker remembers which pages were seen, so each page's view event goes out once.
export class ReadingTracker {
  private readonly seen = new Set<string>()

  constructor(private readonly total: number) {}

  // see records a page and returns true the first time it is seen.
  see(document: string, page: number): boolean {
    const key = `${document}#${page}`
    if (this.seen.has(key)) return false
    this.seen.add(key)
    return true
  }

  get read(): number {
    return this.seen.size
  }

  get complete(): boolean {
    return this.seen.size >= this.total
  }
}

// codeMethods are the intent methods that need a code sent first.
export const CODE_METHODS = ['sms_code', 'email_code'] as const

// signBody builds POST /api/v1/sign/{token}/sign's body: the intent answers given, and the drawn
// signature for every signature field of the party.
export function signBody(
  intent: Record<string, string>,
  fields: { id?: string; type: string }[],
  imagePngBase64: string,
): { intent: Record<string, string>; fields: Record<string, { image_png: string }> } {
  const answers: Record<string, string> = {}
  for (const [method, value] of Object.entries(intent)) if (value.trim()) answers[method] = value.trim()
  const out: Record<string, { image_png: string }> = {}
  for (const field of fields) {
    if (field.id && (field.type === 'signature' || field.type === 'seal') && imagePngBase64) out[field.id] = { image_png: imagePngBase64 }
  }
  return { intent: answers, fields: out }
}
