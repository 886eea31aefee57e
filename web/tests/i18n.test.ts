import { describe, expect, it } from 'vitest'
import zh from '../src/locales/zh-CN'
import en from '../src/locales/en'

// keys lists every message path of a locale, e.g. "verify.verdict.valid".
function keys(messages: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    value && typeof value === 'object' ? keys(value as Record<string, unknown>, `${prefix}${key}.`) : [`${prefix}${key}`],
  )
}

describe('locales', () => {
  it('Chinese and English have the same messages', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort())
  })
  it('no message is empty, and placeholders match', () => {
    const get = (m: Record<string, unknown>, path: string) => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], m) as string
    for (const key of keys(zh)) {
      expect(get(zh, key).trim(), key).not.toBe('')
      const holes = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort()
      expect(holes(get(en, key)), key).toEqual(holes(get(zh, key)))
    }
  })
})
