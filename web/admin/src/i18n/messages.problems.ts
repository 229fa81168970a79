// Messages of check problems and template variables.

import type { Catalogue } from './messages'

export const PROBLEMS: Catalogue = {}
