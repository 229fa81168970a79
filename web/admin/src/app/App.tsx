// The shell: landmarks (banner, navigation, main), the session, the
// language toggle, the routes, and the warning when the page is closed
// with changes not saved yet.

import { lazy, Suspense, useEffect, useState } from 'react'
import { api, ApiError, problemText, setCSRF } from '../api/client'
import type { Session } from '../api/types'
import { useLang, useT } from '../i18n/i18n'
import { ProcedureList } from '../pages/ProcedureList'
import { CreateProcedure } from '../pages/CreateProcedure'
import { ProcedureEditor } from '../pages/ProcedureEditor'
import { unsavedStores } from '../state/draft'
import { href, useRoute } from './router'

const SiteSettings = lazy(() => import('../pages/SiteSettings'))

type SessionState = { kind: 'loading' } | { kind: 'ok'; session: Session } | { kind: 'signin' } | { kind: 'forbidden' } | { kind: 'error'; message: string }

export function App() {
  const t = useT()
  const { lang, setLang } = useLang()
  const route = useRoute()
  const [state, setState] = useState<SessionState>({ kind: 'loading' })

  useEffect(() => {
    api.session().then(
      (s) => {
        setCSRF(s.csrf_token)
        setState({ kind: 'ok', session: s })
      },
      (e) => {
        if (e instanceof ApiError && e.status === 401) setState({ kind: 'signin' })
        else if (e instanceof ApiError && e.status === 403) setState({ kind: 'forbidden' })
        else setState({ kind: 'error', message: problemText(e) })
      },
    )
  }, [])

  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent) => {
      if (unsavedStores().length === 0) return
      for (const s of unsavedStores()) void s.save()
      e.preventDefault()
      e.returnValue = ''
    }
    window.addEventListener('beforeunload', onUnload)
    return () => window.removeEventListener('beforeunload', onUnload)
  }, [])

  useEffect(() => {
    document.title = t('app.title')
  }, [t])

  let body
  switch (state.kind) {
    case 'loading':
      body = <p role="status">{t('app.loading')}</p>
      break
    case 'signin':
      body = (
        <div className="notice">
          <h1>{t('app.signin.title')}</h1>
          <p>{t('app.signin.text')}</p>
          <p>
            <a className="button" href={'/login?next=' + encodeURIComponent('/admin/' + location.hash)}>
              {t('app.signin.link')}
            </a>
          </p>
        </div>
      )
      break
    case 'forbidden':
      body = (
        <div className="notice">
          <h1>{t('app.forbidden.title')}</h1>
          <p>{t('app.forbidden.text')}</p>
        </div>
      )
      break
    case 'error':
      body = (
        <div className="notice" role="alert">
          <h1>{t('app.error.title')}</h1>
          <p>{state.message}</p>
        </div>
      )
      break
    case 'ok': {
      const [first, slug] = route.parts
      if (first === 'new') body = <CreateProcedure />
      else if (first === 'p' && slug) body = <ProcedureEditor key={slug} slug={slug} />
      else if (first === 'site')
        body = (
          <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
            <SiteSettings />
          </Suspense>
        )
      else body = <ProcedureList />
    }
  }

  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus() }}>
        {t('app.skip')}
      </a>
      <header className="app-header" role="banner">
        <a className="app-header__brand" href={href('/')}>
          {t('app.brand')}
        </a>
        <nav aria-label={t('app.nav')} className="app-header__nav">
          <a href={href('/')} aria-current={route.parts.length === 0 ? 'page' : undefined}>
            {t('app.procedures')}
          </a>
          <a href={href('/site')} aria-current={route.parts[0] === 'site' ? 'page' : undefined}>
            {t('app.site')}
          </a>
          <a href="/backoffice">{t('app.backoffice')}</a>
        </nav>
        <div className="app-header__tools">
          {state.kind === 'ok' ? <span className="muted">{state.session.user.name || state.session.user.email}</span> : null}
          <button type="button" className="button button--ghost" lang={lang === 'fr' ? 'en' : 'fr'} onClick={() => setLang(lang === 'fr' ? 'en' : 'fr')}>
            {t('app.switchLang')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {body}
      </main>
    </>
  )
}
