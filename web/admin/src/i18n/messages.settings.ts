// Messages of general settings and procedure renaming.

import type { Catalogue } from './messages'

export const SETTINGS: Catalogue = {
  'general.rename.current': ['Adresse actuelle :', 'Current address:'],
  'general.rename.label': ['Nouvelle adresse', 'New address'],
  'general.rename.help': [
    'Lettres minuscules sans accent, chiffres et tirets (3 à 80 caractères).',
    'Lowercase letters without accents, digits and dashes (3 to 80 characters).',
  ],
  'general.rename.button': ['Renommer l’adresse', 'Rename the address'],
  'general.rename.busy': ['Renommage…', 'Renaming…'],
  'general.rename.warning': [
    'Les anciens liens vers /d/{slug}, les formulaires en cours, l’API publique et les webhooks des applications métier continuent de fonctionner : ils sont redirigés vers la nouvelle adresse. Aucune autre démarche ne pourra prendre l’ancienne adresse. Les modifications en attente sont enregistrées avant le renommage.',
    'Old links to /d/{slug}, forms in progress, the public API and the webhooks of business applications keep working: they are redirected to the new address. No other procedure can take the old address. Pending changes are saved before renaming.',
  ],
  'general.rename.done': [
    'L’adresse est maintenant /d/{slug} ; l’ancienne (/d/{old}) redirige vers elle.',
    'The address is now /d/{slug}; the old one (/d/{old}) redirects to it.',
  ],
  'general.rename.saveFailed': [
    'Les modifications en attente n’ont pas pu être enregistrées ; l’adresse n’a pas été changée.',
    'Pending changes could not be saved; the address was not changed.',
  ],
  'general.rename.same': ['C’est déjà l’adresse de la démarche.', 'This is already the address of the procedure.'],
  'general.rename.issue.empty': ['Saisissez la nouvelle adresse.', 'Enter the new address.'],
  'general.rename.issue.chars': [
    'Seuls les lettres minuscules sans accent, les chiffres et les tirets sont permis.',
    'Only lowercase letters without accents, digits and dashes are allowed.',
  ],
  'general.rename.issue.length': ['L’adresse doit compter de 3 à 80 caractères.', 'The address must be 3 to 80 characters long.'],
  'general.rename.issue.dashes': [
    'L’adresse ne peut ni commencer ni finir par un tiret, ni en contenir deux de suite.',
    'The address must not start or end with a dash, nor contain two dashes in a row.',
  ],
}
