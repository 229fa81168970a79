// Messages of general settings and procedure renaming.

import type { Catalogue } from './messages'

export const SETTINGS: Catalogue = {}
