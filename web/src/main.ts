import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { i18n, initialLocale } from './i18n'
import { router } from './router'
import './styles/base.css'

document.documentElement.lang = initialLocale()
createApp(App).use(createPinia()).use(i18n).use(router).mount('#app')
