// Edits of a pipeline that keep its references consistent: renaming a
// state, role, message or transition renames it wherever it is named.

import type { Pipeline, Rule, State, Transition } from '../api/types'

export function defaultPipeline(t: (k: string) => string): Pipeline {
  return {
    states: [
      { id: 'recu', label: t('pipeline.default.received'), publicLabel: t('pipeline.default.received.public'), kind: 'initial' },
      { id: 'traite', label: t('pipeline.default.done'), publicLabel: t('pipeline.default.done.public'), kind: 'final' },
    ],
    transitions: [{ id: 'traiter', label: t('pipeline.default.transition'), from: ['recu'], to: 'traite', roles: ['agents'] }],
    roles: [{ id: 'agents', label: t('pipeline.default.role'), kind: 'processing' }],
  }
}

/** uniqueID returns base or base-2, base-3… not in taken. */
export function uniqueID(base: string, taken: string[]): string {
  let id = base || 'x'
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`
  return id
}

const mapList = (l: string[] | undefined, from: string, to: string) => l?.map((x) => (x === from ? to : x))

export function renameState(p: Pipeline, from: string, to: string): Pipeline {
  return {
    ...p,
    states: p.states.map((s) => (s.id === from ? { ...s, id: to } : s)),
    transitions: p.transitions?.map((t) => ({ ...t, from: mapList(t.from, from, to)!, to: t.to === from ? to : t.to })),
    rules: p.rules?.map((r) => (r.state === from ? { ...r, state: to } : r)),
  }
}

export function renameRole(p: Pipeline, from: string, to: string): Pipeline {
  return {
    ...p,
    roles: p.roles?.map((r) => ({
      ...(r.id === from ? { ...r, id: to } : r),
      seesOpinionsOf: mapList(r.seesOpinionsOf, from, to),
      mayCirculate: mapList(r.mayCirculate, from, to),
    })),
    transitions: p.transitions?.map((t) => ({ ...t, roles: mapList(t.roles, from, to)! })),
    messages: p.messages?.map((m) => (m.to === from ? { ...m, to } : m)),
    rules: p.rules?.map((r) => ({
      ...r,
      role: r.role === from ? to : r.role,
      do: r.do.map((a) => ({ ...a, invite: a.invite === from ? to : a.invite, activate: a.activate === from ? to : a.activate })),
    })),
  }
}

export function renameMessage(p: Pipeline, from: string, to: string): Pipeline {
  return {
    ...p,
    messages: p.messages?.map((m) => (m.id === from ? { ...m, id: to } : m)),
    states: p.states.map((s) => ({ ...s, onEnter: mapList(s.onEnter, from, to) })),
    roles: p.roles?.map((r) => ({ ...r, invitation: r.invitation === from ? to : r.invitation, reminder: r.reminder === from ? to : r.reminder })),
    rules: p.rules?.map((r) => ({ ...r, do: r.do.map((a) => ({ ...a, send: a.send === from ? to : a.send })) })),
  }
}

export function renameTransition(p: Pipeline, from: string, to: string): Pipeline {
  return {
    ...p,
    transitions: p.transitions?.map((t) => (t.id === from ? { ...t, id: to } : t)),
    rules: p.rules?.map((r) => ({ ...r, do: r.do.map((a) => ({ ...a, transition: a.transition === from ? to : a.transition })) })),
  }
}

/** removeState deletes a state and the transitions that lead to it or only leave from it. */
export function removeState(p: Pipeline, id: string): Pipeline {
  return {
    ...p,
    states: p.states.filter((s) => s.id !== id),
    transitions: p.transitions
      ?.map((t) => ({ ...t, from: t.from.filter((f) => f !== id) }))
      .filter((t) => t.to !== id && t.from.length > 0),
    rules: p.rules?.map((r) => (r.state === id ? withoutKey(r, 'state') : r)),
  }
}

function withoutKey<T extends object>(o: T, k: keyof T): T {
  const out = { ...o }
  delete out[k]
  return out
}

/** connect adds a transition from source to target (or adds source to the one already going there from elsewhere with no label change). */
export function connect(p: Pipeline, source: string, target: string, label: string): [Pipeline, string] {
  const ts = p.transitions ?? []
  const same = ts.find((t) => t.to === target && t.from.includes(source))
  if (same) return [p, same.id]
  const id = uniqueID(`${source}-${target}`.slice(0, 40), ts.map((t) => t.id))
  const roles = (p.roles ?? []).filter((r) => r.kind === 'processing').map((r) => r.id)
  const tr: Transition = { id, label, from: [source], to: target, roles }
  return [{ ...p, transitions: [...ts, tr] }, id]
}

/** disconnect removes one source of a transition (the whole transition when it was the last). */
export function disconnect(p: Pipeline, transition: string, source: string): Pipeline {
  return {
    ...p,
    transitions: (p.transitions ?? []).map((t) => (t.id === transition ? { ...t, from: t.from.filter((f) => f !== source) } : t)).filter((t) => t.from.length > 0),
  }
}

export function addState(p: Pipeline, label: string): [Pipeline, string] {
  const id = uniqueID('etat', p.states.map((s) => s.id))
  const s: State = { id, label, publicLabel: label, kind: p.states.length === 0 ? 'initial' : 'intermediate' }
  return [{ ...p, states: [...p.states, s] }, id]
}

export const EVENTS = ['dossier.submitted', 'dossier.entered', 'invitation.sent', 'opinion.returned', 'invitation.overdue', 'integration.updated']

export function newRule(p: Pipeline): Rule {
  return { id: uniqueID('regle', (p.rules ?? []).map((r) => r.id)), on: 'dossier.submitted', do: [] }
}
