// The signer side of the API (API.md "Signer side"): every call is authorised by the link's
// token alone. Page images and downloads are addressed under the token too.
import { api, request } from './client'
import type { SignerView } from './types'

const base = (token: string) => `/api/v1/sign/${encodeURIComponent(token)}`

export const signerApi = {
  view: (token: string) => api.get<SignerView>(base(token)),
  identity: (token: string, body: Record<string, string>) => api.post<SignerView>(`${base(token)}/identity`, body),
  reading: (token: string, document: string, page: number) =>
    api.post<SignerView>(`${base(token)}/reading`, { document, page, event: 'view' }),
  notice: (token: string) => api.post<SignerView>(`${base(token)}/notice`, { accepted: true }),
  startIntent: (token: string, method: string) =>
    api.post<Record<string, unknown>>(`${base(token)}/intent/${encodeURIComponent(method)}/start`),
  sign: (token: string, body: unknown) => request<SignerView>(`${base(token)}/sign`, { method: 'POST', json: body }),
  reject: (token: string, reason: string) => api.post<SignerView>(`${base(token)}/reject`, { reason }),
  pageImage: (token: string, doc: string, page: number, width: number) =>
    `${base(token)}/documents/${encodeURIComponent(doc)}/pages/${page}.png?width=${width}`,
  download: (token: string, doc: string) => `${base(token)}/documents/${encodeURIComponent(doc)}/download`,
}

// settingsOf returns the party's settings wherever the view carries them (a `settings` object,
// the `party`, or the view itself).
export function settingsOf(view: SignerView) {
  const from = { ...(view as Record<string, unknown>), ...(view.party ?? {}), ...(view.settings ?? {}) } as Record<string, unknown>
  return {
    kind: (from.kind as string) === 'enterprise' ? 'enterprise' : 'person',
    name: typeof from.name === 'string' ? from.name : '',
    verification: (from.verification as string) ?? 'none',
    intent: Array.isArray(from.intent) ? (from.intent as string[]) : [],
    reading: (from.reading as { seconds?: number; to_last_page?: boolean } | undefined) ?? undefined,
    notice: typeof from.notice === 'string' ? from.notice : '',
    handwriting: from.handwriting !== false,
    mobile: typeof from.mobile === 'string' ? from.mobile : '',
    email: typeof from.email === 'string' ? from.email : '',
  }
}
