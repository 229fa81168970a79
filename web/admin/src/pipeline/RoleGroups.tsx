// The groups of agents bound to each role, edited next to the role. A
// change is saved at once (it is not part of the draft): it decides who
// works on the procedure's dossiers, of every version.

import { useCallback, useEffect, useState } from 'react'
import { problemText } from '../api/client'
import { rolesApi, type RoleBindings } from '../api/roles'
import { Checklist } from '../components/controls'
import { useT } from '../i18n/i18n'

/** useRoleBindings loads the bindings of a procedure and changes them. */
export function useRoleBindings(slug: string) {
  const [data, setData] = useState<RoleBindings | undefined>()
  const [error, setError] = useState('')
  const [done, setDone] = useState('')
  useEffect(() => {
    const ctl = new AbortController()
    rolesApi.list(slug, ctl.signal).then(setData, (e) => {
      if (!ctl.signal.aborted) setError(problemText(e))
    })
    return () => ctl.abort()
  }, [slug])
  const change = useCallback(
    async (role: string, group: string, bound: boolean, doneText: string) => {
      setError('')
      setDone('')
      try {
        setData(await (bound ? rolesApi.bind(slug, role, group) : rolesApi.unbind(slug, role, group)))
        setDone(doneText)
      } catch (e) {
        setError(problemText(e))
      }
    },
    [slug],
  )
  return { data, error, done, change }
}

export type RoleBindingsState = ReturnType<typeof useRoleBindings>

/** RoleGroups is the checklist of the groups holding one role. */
export function RoleGroups({ state, role, roleLabel, path }: { state: RoleBindingsState; role: string; roleLabel: string; path: string }) {
  const t = useT()
  const { data } = state
  if (!data) return null
  const info = data.roles.find((r) => r.id === role)
  const bound = info?.groups ?? []
  const label = (id: string) => data.groups.find((g) => g.id === id)?.label ?? id
  return (
    <Checklist
      label={t('role.groups')}
      help={info && !info.published ? t('role.groups.pending') : t('role.groups.help')}
      values={bound}
      options={data.groups.map((g) => ({ value: g.id, label: g.label || g.name }))}
      empty={t('role.groups.none')}
      path={path}
      onChange={(next) => {
        const added = next.find((g) => !bound.includes(g))
        const removed = bound.find((g) => !next.includes(g))
        if (added) void state.change(role, added, true, t('role.groups.bound', { group: label(added), role: roleLabel }))
        else if (removed) void state.change(role, removed, false, t('role.groups.unbound', { group: label(removed), role: roleLabel }))
      }}
    />
  )
}

/** DroppedRoles lists the roles that neither the draft nor the published version has any more but that groups still hold (without access): their bindings can be removed. */
export function DroppedRoles({ state }: { state: RoleBindingsState }) {
  const t = useT()
  const dropped = state.data?.roles.filter((r) => !r.published && !r.inDraft && r.groups.length > 0) ?? []
  if (dropped.length === 0) return null
  const label = (id: string) => state.data?.groups.find((g) => g.id === id)?.label ?? id
  return (
    <div className="notice" role="group" aria-labelledby="dropped-roles-h">
      <h3 id="dropped-roles-h">{t('role.dropped')}</h3>
      <p className="help">{t('role.dropped.help')}</p>
      <ul>
        {dropped.flatMap((r) =>
          r.groups.map((g) => (
            <li key={r.id + '/' + g}>
              {t('role.dropped.item', { role: r.id, group: label(g) })}{' '}
              <button type="button" className="button button--small" onClick={() => void state.change(r.id, g, false, t('role.groups.unbound', { group: label(g), role: r.id }))}>
                {t('role.dropped.remove', { role: r.id, group: label(g) })}
              </button>
            </li>
          )),
        )}
      </ul>
    </div>
  )
}
