// A small hash router (#/p/reservation-salle/scenarios/1/form?focus=…), so
// the Go server only ever serves /admin/index.html and its assets. Leaving
// a procedure with changes not saved yet goes through the guards first.

import { useSyncExternalStore } from 'react'

export interface Route {
  parts: string[]
  query: URLSearchParams
  hash: string
}

type Guard = (from: Route, to: Route) => Promise<boolean>

const guards = new Set<Guard>()
let current = parse(location.hash)
let skip = false
const listeners = new Set<() => void>()

function parse(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/'
  const [path, qs] = raw.split('?', 2)
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(qs ?? ''), hash: '#' + raw }
}

window.addEventListener('hashchange', () => {
  const to = parse(location.hash)
  if (skip || guards.size === 0) {
    skip = false
    set(to)
    return
  }
  const from = current
  // Stay where we are while the guards decide.
  history.replaceState(null, '', from.hash)
  void runGuards(from, to).then((ok) => {
    if (!ok) return
    skip = true
    location.hash = to.hash
  })
})

async function runGuards(from: Route, to: Route): Promise<boolean> {
  for (const g of guards) if (!(await g(from, to))) return false
  return true
}

function set(r: Route) {
  current = r
  for (const l of listeners) l()
}

/** navigate goes to an app path such as "/p/slug/general". */
export function navigate(path: string) {
  location.hash = '#' + path
}

/** href turns an app path into a link. */
export function href(path: string): string {
  return '#' + path
}

/** addGuard registers a check run before leaving a route; it returns the remover. */
export function addGuard(g: Guard): () => void {
  guards.add(g)
  return () => guards.delete(g)
}

/** useRoute returns the current route. */
export function useRoute(): Route {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    () => current,
  )
}
