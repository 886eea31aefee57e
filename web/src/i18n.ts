// Every string of the app goes through vue-i18n: Chinese by default, English switchable; the
// choice is kept in localStorage.
import { createI18n } from 'vue-i18n'
import zh from './locales/zh-CN'
import en from './locales/en'

export type Locale = 'zh-CN' | 'en'
const STORAGE_KEY = 'pactum.locale'

export function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY)
    if (stored === 'en' || stored === 'zh-CN') return stored
  } catch {
    // storage blocked: the default
  }
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zh, en },
})

export function setLocale(locale: Locale) {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // storage blocked: the choice lasts for this page only
  }
}

export function toggleLocale() {
  setLocale(i18n.global.locale.value === 'zh-CN' ? 'en' : 'zh-CN')
}
