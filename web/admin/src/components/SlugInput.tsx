// The address (slug) of a new procedure: made from its title until the
// admin types one.

import { useState } from 'react'
import { useT } from '../i18n/i18n'
import { slugify } from '../lib/slug'
import { TextInput } from './controls'

/** useSlugFromTitle returns the slug to use for title and the input that edits it. */
export function useSlugFromTitle(title: string) {
  const [typed, setTyped] = useState<string | null>(null)
  const slug = typed ?? slugify(title)
  return { slug, input: <SlugInput value={slug} onChange={setTyped} /> }
}

function SlugInput({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const t = useT()
  return <TextInput label={t('general.slug')} help={t('general.slug.help')} value={value} mono required onChange={onChange} />
}
