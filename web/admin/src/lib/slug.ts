// Slugs (the address /d/{slug} of a procedure) made from a title.

import { slugName } from '../model/formOps'

/** slugify turns a title into a slug: lowercase ASCII letters, digits and dashes. */
export function slugify(s: string): string {
  return slugName(s).replace(/_/g, '-').slice(0, 80)
}
