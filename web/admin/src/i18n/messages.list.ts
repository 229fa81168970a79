// Messages of the procedure list's row actions: duplicate, delete.

import type { Catalogue } from './messages'

export const LIST: Catalogue = {
  'list.col.actions': ['Actions', 'Actions'],
  'list.duplicate': ['Dupliquer', 'Duplicate'],
  'list.duplicate.label': ['Dupliquer « {title} »', 'Duplicate “{title}”'],
  'list.duplicate.heading': ['Dupliquer « {title} »', 'Duplicate “{title}”'],
  'list.duplicate.help': [
    'La copie est un nouveau brouillon. Ses intégrations sont désactivées : activez-les après vérification.',
    'The copy is a new draft. Its integrations are disabled: enable them once checked.',
  ],
  'list.duplicate.copyTitle': ['{title} (copie)', '{title} (copie)'],
  'list.duplicate.from': ['Contenu à copier', 'What to copy'],
  'list.duplicate.from.draft': ['Le brouillon (état actuel)', 'The draft (current state)'],
  'list.duplicate.from.version': ['La version publiée v{n}', 'The published version v{n}'],
  'list.duplicate.submit': ['Créer la copie', 'Create the copy'],
  'list.duplicate.cancel': ['Annuler', 'Cancel'],
  'list.duplicate.taken': ['Cette adresse est déjà utilisée par une autre démarche.', 'This address is already used by another procedure.'],
  'list.delete': ['Supprimer', 'Delete'],
  'list.delete.label': ['Supprimer « {title} »', 'Delete “{title}”'],
  'list.delete.confirm': [
    'Supprimer définitivement le brouillon « {title} » ({slug}) ? Il n’a jamais été publié ; cette action est irréversible.',
    'Delete the draft “{title}” ({slug}) for good? It was never published; this cannot be undone.',
  ],
  'list.delete.done': ['La démarche « {title} » a été supprimée.', 'The procedure “{title}” was deleted.'],
  'list.delete.failed': ['La suppression a échoué :', 'Deletion failed:'],
}
