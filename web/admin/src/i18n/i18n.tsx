// French by default, English on demand; the choice is kept in the browser.

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { messages, type Lang } from './messages'
import { setLanguage } from '../api/client'

export type { Lang }
export type T = (key: string, vars?: Record<string, string | number>) => string

interface Ctx {
  lang: Lang
  setLang: (l: Lang) => void
}

const LangContext = createContext<Ctx>({ lang: 'fr', setLang: () => {} })

function initialLang(): Lang {
  try {
    const l = localStorage.getItem('guichet.admin.lang')
    if (l === 'fr' || l === 'en') return l
  } catch {
    /* storage may be off */
  }
  return 'fr'
}

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang)
  setLanguage(lang)
  useEffect(() => {
    document.documentElement.lang = lang
  }, [lang])
  const setLang = useCallback((l: Lang) => {
    setLangState(l)
    try {
      localStorage.setItem('guichet.admin.lang', l)
    } catch {
      /* ignore */
    }
  }, [])
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang])
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>
}

export function useLang(): Ctx {
  return useContext(LangContext)
}

/** translate looks a key up and fills {name} placeholders. */
export function translate(lang: Lang, key: string, vars?: Record<string, string | number>): string {
  let s = messages[lang][key] ?? messages.fr[key] ?? key
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v))
  return s
}

/** useT returns the translation function of the current language. */
export function useT(): T {
  const { lang } = useContext(LangContext)
  return useCallback((key: string, vars?: Record<string, string | number>) => translate(lang, key, vars), [lang])
}
