// Problems of the draft (from the last save or check), each a link to the
// place it is about.

import { useEffect } from 'react'
import type { FieldError } from '../api/types'
import { useLang, useT, type Lang } from '../i18n/i18n'
import { href } from '../app/router'
import { locate, pointerToPath } from '../app/paths'
import { useDraftMeta, type DraftStore } from '../state/draft'

export function problemPath(p: FieldError): string {
  return p.path || pointerToPath(p.pointer)
}

export function problemLink(slug: string, p: FieldError): string {
  const loc = locate(slug, problemPath(p), p.detail)
  const q = new URLSearchParams({ focus: loc.focus })
  if (loc.field) q.set('field', loc.field)
  return href(loc.route + '?' + q.toString())
}

export function ProblemList({ slug, problems }: { slug: string; problems: FieldError[] }) {
  const t = useT()
  return (
    <ul className="problems">
      {problems.map((p, i) => (
        <li key={i}>
          <a href={problemLink(slug, p)}>
            <span className="mono small">{problemPath(p)}</span>
            <span className="visually-hidden"> — </span>
            <span className="problems__detail">{p.detail}</span>
          </a>
        </li>
      ))}
      {problems.length === 0 ? <li>{t('problems.none')}</li> : null}
    </ul>
  )
}

// The language each store's problems were last fetched in.
const problemsLang = new WeakMap<DraftStore, Lang>()

/**
 * useProblemsLanguage refetches the problems of a draft (written by the
 * server in the API's language) when the language changes; the first of
 * the components using it does it, once per change.
 */
export function useProblemsLanguage(store: DraftStore) {
  const { lang } = useLang()
  useEffect(() => {
    const had = problemsLang.get(store)
    problemsLang.set(store, lang)
    if (had && had !== lang) void store.refreshMeta().catch(() => {})
  }, [store, lang])
}

/** ProblemsHere shows the problems under some paths, above the controls they are about. */
export function ProblemsHere({ store, prefix }: { store: DraftStore; prefix: string[] }) {
  const t = useT()
  const meta = useDraftMeta(store)
  useProblemsLanguage(store)
  const mine = meta.problems.filter((p) => {
    const path = problemPath(p)
    return prefix.some((x) => path === x || path.startsWith(x + '.') || path.startsWith(x + '['))
  })
  if (mine.length === 0) return null
  return (
    <div className="problems-here" role="region" aria-label={t('problems.here')}>
      <p>
        <strong>{t('problems.here')}</strong>
      </p>
      <ProblemList slug={store.slug} problems={mine} />
    </div>
  )
}
