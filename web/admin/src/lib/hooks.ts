import { useEffect, useState } from 'react'

/** useDebounced returns value once it has not changed for ms. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms)
    return () => clearTimeout(t)
  }, [value, ms])
  return v
}

/** useAsync runs fn whenever deps change (after the debounce), cancelling the previous run. */
export function useAsync<T>(fn: (signal: AbortSignal) => Promise<T>, deps: unknown[], ms = 0): { data?: T; error?: unknown; loading: boolean } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true })
  useEffect(() => {
    const ctl = new AbortController()
    setState((s) => ({ ...s, loading: true }))
    const t = setTimeout(() => {
      fn(ctl.signal).then(
        (data) => !ctl.signal.aborted && setState({ data, loading: false }),
        (error) => !ctl.signal.aborted && setState({ error, loading: false }),
      )
    }, ms)
    return () => {
      clearTimeout(t)
      ctl.abort()
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps)
  return state
}
