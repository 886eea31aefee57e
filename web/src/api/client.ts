// The one way the pages talk to pactumd: JSON in and out, the session cookie sent by the
// browser, the CSRF token (from the pactum_csrf cookie) echoed on every state-changing request,
// and every failure turned into an ApiError whose message is the server's sentence for people.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId = '',
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export function csrfToken(cookies: string = typeof document === 'undefined' ? '' : document.cookie): string {
  for (const part of cookies.split(';')) {
    const [name, ...rest] = part.trim().split('=')
    if (name === 'pactum_csrf') return decodeURIComponent(rest.join('='))
  }
  return ''
}

export interface RequestOptions {
  method?: string
  json?: unknown
  body?: BodyInit
  contentType?: string
  signal?: AbortSignal
}

// errorFrom reads the API's error shape {"error":{"code","message","request_id"}}; anything else
// (a proxy's HTML page, an empty body) becomes a generic error with the status.
export async function errorFrom(response: Response): Promise<ApiError> {
  let code = 'http_' + response.status
  let message = ''
  let requestId = ''
  try {
    const body = await response.json()
    if (body && typeof body === 'object' && body.error) {
      code = String(body.error.code ?? code)
      message = String(body.error.message ?? '')
      requestId = String(body.error.request_id ?? '')
    }
  } catch {
    // not JSON: keep the generic description
  }
  return new ApiError(response.status, code, message || `HTTP ${response.status}`, requestId)
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? (options.json !== undefined || options.body ? 'POST' : 'GET')
  const headers: Record<string, string> = { Accept: 'application/json' }
  let body: BodyInit | undefined = options.body
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(options.json)
  } else if (options.contentType) {
    headers['Content-Type'] = options.contentType
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken()
    if (token) headers['X-CSRF-Token'] = token
    if (body === undefined) {
      headers['Content-Type'] = 'application/json'
      body = '{}'
    }
  }
  let response: Response
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal })
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause))
  }
  if (!response.ok) throw await errorFrom(response)
  const type = response.headers.get('Content-Type') ?? ''
  if (type.includes('application/json')) return (await response.json()) as T
  return (await response.blob()) as unknown as T
}

export const api = {
  get: <T>(path: string) => request<T>(path),
  post: <T>(path: string, json?: unknown) => request<T>(path, { method: 'POST', json: json ?? {} }),
  patch: <T>(path: string, json: unknown) => request<T>(path, { method: 'PATCH', json }),
  del: <T>(path: string) => request<T>(path, { method: 'DELETE' }),
  upload: <T>(path: string, file: Blob, contentType = 'application/pdf') =>
    request<T>(path, { method: 'POST', body: file, contentType }),
}
