// Messages of the role bindings (groups of agents holding each role).

import type { Catalogue } from './messages'

export const ROLES: Catalogue = {
  'role.groups': ['Groupes qui tiennent ce rôle', 'Groups holding this role'],
  'role.groups.help': [
    'Enregistré tout de suite, sans publier : s’applique aussi aux dossiers des versions publiées.',
    'Saved at once, without publishing: it also applies to the dossiers of published versions.',
  ],
  'role.groups.pending': [
    'Enregistré tout de suite ; ce rôle n’est pas encore publié : ses groupes n’auront accès aux dossiers qu’après la publication.',
    'Saved at once; this role is not published yet: its groups get access to dossiers only once it is published.',
  ],
  'role.dropped': ['Rôles retirés encore attribués', 'Removed roles still held'],
  'role.dropped.help': [
    'La version publiée n’a plus ces rôles : ils ne donnent plus aucun accès. Retirez-les pour garder la liste propre.',
    'The published version no longer has these roles: they give no access any more. Remove them to keep the list clean.',
  ],
  'role.dropped.item': ['{role} : groupe « {group} »', '{role}: group "{group}"'],
  'role.dropped.remove': ['Retirer le rôle {role} du groupe « {group} »', 'Take the role {role} from the group "{group}"'],
  'role.groups.none': ['Aucun groupe : créez-en dans le back-office.', 'No group: create some in the back office.'],
  'role.groups.where': ['Les agents reçoivent les rôles par leurs groupes.', 'Agents get roles through their groups.'],
  'role.groups.manage': ['Gérer les groupes et leurs membres', 'Manage groups and their members'],
  'role.groups.bound': ['Le groupe « {group} » tient maintenant le rôle « {role} ».', 'The group "{group}" now holds the role "{role}".'],
  'role.groups.unbound': ['Le groupe « {group} » ne tient plus le rôle « {role} ».', 'The group "{group}" no longer holds the role "{role}".'],
}
