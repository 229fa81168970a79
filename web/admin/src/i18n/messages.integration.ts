// Messages of the integrations editor.

import type { Catalogue } from './messages'

export const INTEGRATION: Catalogue = {}
