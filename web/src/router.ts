// Routes. Each page is its own chunk: the signer pages (/s/{token}) and the public verification
// page never load the console's libraries (element-plus, echarts, pdf.js).
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSession } from './stores/session'

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./pages/console/LoginPage.vue') },
  { path: '/verify', name: 'verify', component: () => import('./pages/VerifyPage.vue') },
  { path: '/s/:token', name: 'signer', component: () => import('./pages/signer/SignerPage.vue'), props: true },
  {
    path: '/',
    component: () => import('./layouts/ConsoleLayout.vue'),
    meta: { console: true },
    children: [
      { path: '', name: 'dashboard', component: () => import('./pages/console/DashboardPage.vue') },
      { path: 'members', name: 'members', component: () => import('./pages/console/MembersPage.vue') },
      { path: 'apps', name: 'apps', component: () => import('./pages/console/AppsPage.vue') },
      { path: 'audit', name: 'audit', component: () => import('./pages/console/AuditPage.vue') },
      { path: 'contracts', name: 'contracts', component: () => import('./pages/contracts/ContractListPage.vue') },
      { path: 'contracts/new', name: 'contract-new', component: () => import('./pages/contracts/NewContractPage.vue') },
      { path: 'contracts/:id', name: 'contract', component: () => import('./pages/contracts/ContractDetailPage.vue'), props: true },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory(), routes })

// The console needs a session: without one, the log-in page (and back here afterwards).
router.beforeEach(async (to) => {
  if (!to.matched.some((record) => record.meta.console)) return true
  const session = useSession()
  if (await session.ensure()) return true
  return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
})
