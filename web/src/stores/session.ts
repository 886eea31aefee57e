// The logged-in person, their memberships and the enterprise the console works on.
import { defineStore } from 'pinia'
import { ApiError, api, csrfToken } from '../api/client'
import type { Me, Membership } from '../api/types'

const ENTERPRISE_KEY = 'pactum.enterprise'

export const useSession = defineStore('session', {
  state: () => ({
    me: null as Me | null,
    enterpriseId: '' as string,
    checked: false,
  }),
  getters: {
    membership(state): Membership | undefined {
      return state.me?.memberships.find((m) => m.enterprise_id === state.enterpriseId)
    },
  },
  actions: {
    // ensure loads /api/v1/me once; false when there is no session.
    async ensure(): Promise<boolean> {
      if (this.me) return true
      // The CSRF cookie comes and goes with the session: without it there is none to ask about
      // (and no 401 to log in the console).
      if (!csrfToken()) {
        this.checked = true
        return false
      }
      try {
        this.adopt(await api.get<Me>('/api/v1/me'))
        return true
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return false
        throw error
      } finally {
        this.checked = true
      }
    },
    adopt(me: Me) {
      this.me = me
      let stored = ''
      try {
        stored = localStorage.getItem(ENTERPRISE_KEY) ?? ''
      } catch {
        // storage blocked
      }
      const known = me.memberships.some((m) => m.enterprise_id === stored)
      this.enterpriseId = known ? stored : (me.memberships[0]?.enterprise_id ?? '')
    },
    choose(enterpriseId: string) {
      this.enterpriseId = enterpriseId
      try {
        localStorage.setItem(ENTERPRISE_KEY, enterpriseId)
      } catch {
        // storage blocked
      }
    },
    async login(login: string, password: string) {
      await api.post('/api/v1/auth/login', { login, password })
      this.me = null
      await this.ensure()
    },
    async logout() {
      try {
        await api.post('/api/v1/auth/logout')
      } finally {
        this.me = null
      }
    },
  },
})
