// Messages of undo and redo in the procedure editor.

import type { Catalogue } from './messages'

export const UNDO: Catalogue = {
  'undo.group': ['Historique des modifications', 'Change history'],
  'undo.undo': ['Annuler', 'Undo'],
  'undo.redo': ['Rétablir', 'Redo'],
  'undo.undo.label': ['Annuler la dernière modification', 'Undo the last change'],
  'undo.redo.label': ['Rétablir la modification annulée', 'Redo the undone change'],
  'undo.done': ['Modification annulée', 'Change undone'],
  'undo.redone': ['Modification rétablie', 'Change redone'],
  'undo.none': ['Rien à annuler', 'Nothing to undo'],
  'undo.redo.none': ['Rien à rétablir', 'Nothing to redo'],
}
